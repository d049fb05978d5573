"""Decoding photos: every supported format, EXIF orientation, clear reasons for bad files."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from engine.images import BadImageError, load_image


def _scene(size=(64, 48)) -> Image.Image:
    img = Image.new("RGB", size, (200, 30, 30))
    img.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))
    return img


@pytest.mark.parametrize(
    "suffix,fmt",
    [
        (".jpg", "JPEG"),
        (".png", "PNG"),
        (".webp", "WEBP"),
        (".tif", "TIFF"),
        (".bmp", "BMP"),
        (".heic", "HEIF"),
    ],
)
def test_supported_formats_decode_to_rgb(tmp_path, suffix, fmt):
    path = tmp_path / f"photo{suffix}"
    _scene().save(path, fmt)
    img = load_image(path)
    assert img.mode == "RGB" and img.size == (64, 48)
    left, right = img.getpixel((5, 20)), img.getpixel((60, 20))
    assert left[2] > left[0] and right[0] > right[2]  # the colours survived


def test_gif_uses_the_first_frame(tmp_path):
    path = tmp_path / "anim.gif"
    first, second = Image.new("RGB", (32, 32), (255, 0, 0)), Image.new("RGB", (32, 32), (0, 0, 255))
    first.save(path, save_all=True, append_images=[second])
    r, g, b = load_image(path).getpixel((16, 16))
    assert r > 200 and b < 50


def test_transparent_png_is_flattened_on_white(tmp_path):
    path = tmp_path / "alpha.png"
    Image.new("RGBA", (8, 8), (0, 0, 0, 0)).save(path)
    assert load_image(path).getpixel((4, 4)) == (255, 255, 255)


def test_exif_orientation_is_applied(tmp_path):
    path = tmp_path / "portrait.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise on display
    _scene((80, 40)).save(path, "JPEG", exif=exif)
    assert load_image(path).size == (40, 80)


def test_draft_decodes_large_jpeg_smaller_but_not_below_min_side(tmp_path):
    path = tmp_path / "big.jpg"
    _scene((4000, 3000)).save(path, "JPEG")
    img = load_image(path, min_side=224)
    assert min(img.size) >= 224 and img.size[0] <= 1000


def _png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("empty.jpg", b"", "empty file"),
        ("text.png", b"hello, I am not a picture\n", "not an image"),
        ("truncated.jpg", None, "truncated"),
        ("bomb.png", _png_claiming(60000, 60000), "decompression bomb"),
    ],
)
def test_bad_files_raise_a_clear_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    if content is None:
        full = tmp_path / "full.jpg"
        _scene((400, 300)).save(full, "JPEG")
        content = full.read_bytes()[:600]
    path.write_bytes(content)
    with pytest.raises(BadImageError, match=reason):
        load_image(path)


def test_missing_file_is_reported_as_vanished(tmp_path):
    with pytest.raises(BadImageError, match="vanished"):
        load_image(Path(tmp_path / "gone.jpg"))

"""Bad input never stops the rest: each bad file is skipped with a clear reason.

Table-driven: every case makes one bad thing in a folder that also holds good photos,
indexes with the real decoder (engine.images.load_image), and checks the reason in the
log and in the status report; cases that can become valid are fixed and picked up.
"""

from __future__ import annotations

import logging
import os
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from index_support import indexed_paths, write_photo

from app.commands.status import library_status
from engine.images import load_image
from index.folders import add_folder
from index.pipeline import Indexer
from index.scanner import scan

pytestmark = pytest.mark.usefixtures("no_thread_leaks")


def _png(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` (no real pixel data)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _unreadable(path: Path) -> None:
    os.chmod(path, 0)
    try:
        with open(path, "rb"):
            pass
    except PermissionError:
        return
    os.chmod(path, 0o644)
    pytest.skip(
        "running with privileges that ignore file permissions (root): chmod 000 blocks nothing"
    )


def make_zero_byte(d: Path) -> Path:
    (p := d / "empty.jpg").write_bytes(b"")
    return p


def make_not_an_image(d: Path) -> Path:
    (p := d / "notes.jpg").write_text("these are my holiday notes, not a photo\n" * 20)
    return p


def make_truncated(d: Path) -> Path:
    data = write_photo(d / "whole.tmp.jpg", seed=5, size=(400, 300)).read_bytes()
    (d / "whole.tmp.jpg").unlink()
    (p := d / "truncated.jpg").write_bytes(data[: len(data) // 3])
    return p


def make_corrupt(d: Path) -> Path:
    data = bytearray(write_photo(d / "c.tmp.jpg", seed=6, size=(200, 150)).read_bytes())
    (d / "c.tmp.jpg").unlink()
    data[2:200] = os.urandom(198)  # header destroyed
    (p := d / "corrupt.jpg").write_bytes(bytes(data))
    return p


def make_bomb(d: Path) -> Path:
    (p := d / "bomb.png").write_bytes(_png(100_000, 100_000))
    return p


def make_absurd_dimensions(d: Path) -> Path:
    (p := d / "absurd.png").write_bytes(_png(0, 0))
    return p


def make_unreadable(d: Path) -> Path:
    p = write_photo(d / "secret.jpg", seed=7)
    _unreadable(p)
    return p


def make_broken_symlink(d: Path) -> Path:
    (p := d / "dangling.jpg").symlink_to(d / "nowhere" / "gone.jpg")
    return p


def make_symlink_loop(d: Path) -> Path:
    (p := d / "loop.jpg").symlink_to(d / "loop.jpg")
    (d / "sub").mkdir()
    (d / "sub" / "up").symlink_to(d)  # a folder loop: walking must end
    return p


def make_unlistable_folder(d: Path) -> Path:
    sub = d / "locked"
    write_photo(sub / "inside.jpg", seed=9)
    os.chmod(sub, 0)
    try:
        os.listdir(sub)
    except PermissionError:
        return sub
    os.chmod(sub, 0o755)
    pytest.skip(
        "running with privileges that ignore file permissions (root): chmod 000 blocks nothing"
    )


def fix_with_photo(p: Path) -> None:
    if p.is_symlink():
        p.unlink()
    write_photo(p, seed=42)


def fix_permissions(p: Path) -> None:
    os.chmod(p, 0o644)


def fix_symlink_target(p: Path) -> None:
    write_photo(Path(os.readlink(p)), seed=43)


@dataclass(frozen=True)
class Case:
    make: Callable[[Path], Path]
    reason: str
    fix: Callable[[Path], None] | None = None


CASES = {
    "zero-byte": Case(make_zero_byte, "empty file", fix_with_photo),
    "not-an-image": Case(make_not_an_image, "not an image file", fix_with_photo),
    "truncated": Case(make_truncated, "truncated", fix_with_photo),
    "corrupt": Case(make_corrupt, "not an image file", fix_with_photo),
    "decompression-bomb": Case(make_bomb, "decompression bomb", fix_with_photo),
    "absurd-dimensions": Case(make_absurd_dimensions, "not an image", fix_with_photo),
    "unreadable": Case(make_unreadable, "permission denied", fix_permissions),
    "broken-symlink": Case(make_broken_symlink, "broken symbolic link", fix_symlink_target),
    "symlink-loop": Case(make_symlink_loop, "too many levels of symbolic links"),
    "unlistable-folder": Case(make_unlistable_folder, "cannot list folder", fix_permissions),
}


def _index(library) -> None:
    diff = scan(library.catalog, library.catalog.folders())
    Indexer(library, library.encoder, load_image, workers=2).apply(diff)


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_skipped_with_reason_and_the_rest_indexed(name, library, tmp_path, caplog):
    case = CASES[name]
    folder = tmp_path / "photos"
    good = [write_photo(folder / f"good{i}.jpg", seed=i) for i in range(3)]
    bad = case.make(folder)
    add_folder(library, str(folder))
    with caplog.at_level(logging.WARNING, logger="photosearch"):
        _index(library)

    assert {str(p) for p in good} <= set(indexed_paths(library))
    status = library_status(library)
    skipped = {entry["path"]: entry["reason"] for entry in status["skipped_files"]}
    assert str(bad) in skipped, skipped
    reason = skipped[str(bad)]
    assert reason and case.reason.lower() in reason.lower()
    assert str(bad) in caplog.text and reason in caplog.text
    assert library.store.labels() == set(indexed_paths(library).values())

    # Rescanning an unchanged bad file changes nothing; a fixed one is picked up.
    _index(library)
    assert str(bad) in {e["path"] for e in library_status(library)["skipped_files"]}
    if case.fix is not None:
        case.fix(bad)
        _index(library)
        assert str(bad) not in {e["path"] for e in library_status(library)["skipped_files"]}
        target = bad / "inside.jpg" if bad.is_dir() else bad
        assert str(target) in indexed_paths(library)


def test_file_vanishing_between_scan_and_read(library, tmp_path, caplog):
    folder = tmp_path / "photos"
    keep = write_photo(folder / "keep.jpg", seed=1)
    gone = write_photo(folder / "gone.jpg", seed=2)
    add_folder(library, str(folder))
    diff = scan(library.catalog, library.catalog.folders())
    gone.unlink()
    with caplog.at_level(logging.WARNING, logger="photosearch"):
        Indexer(library, library.encoder, load_image).apply(diff)
    assert str(keep) in indexed_paths(library)
    skipped = {e["path"]: e["reason"] for e in library_status(library)["skipped_files"]}
    assert "vanished" in skipped[str(gone)]
    _index(library)  # the next scan forgets it
    assert library.catalog.photo_by_path(str(gone)) is None


def test_very_deep_tree(library, tmp_path):
    folder = tmp_path / "photos"
    deep = folder.joinpath(*[f"d{i}" for i in range(120)])
    bottom = write_photo(deep / "bottom.jpg", seed=3)
    add_folder(library, str(folder))
    _index(library)
    assert str(bottom) in indexed_paths(library)

"""Decode photo files into RGB images ready for an encoder's preprocess.

JPEGs are decoded at reduced scale with ``draft()`` when the encoder only needs a
few hundred pixels; EXIF orientation is applied so a portrait photo is encoded
upright; multi-frame files (GIF) contribute their first frame. The file's own facts
(EXIF date, camera, GPS, pixel size: engine/exif.py) are read from the same open file and
travel with the image as ``image.info[FACTS_KEY]``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from engine.errors import (
    BOMB_REFUSED,
    CORRUPT,
    EMPTY_FILE,
    IS_A_DIRECTORY,
    NOT_AN_IMAGE,
    PERMISSION_DENIED,
    TOO_LARGE,
    UNDECODABLE,
    VANISHED,
    PhrasedError,
    first_line,
)
from engine.exif import photo_facts

try:  # HEIC/HEIF support comes from a plugin; without it those files are skipped.
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover - the plugin is a declared dependency
    pass

# Larger images than this are refused as likely decompression bombs (about 16k x 11k).
MAX_PIXELS = 178_956_970
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
FACTS_KEY = "photosearch.facts"  # index.photo_meta reads it (the layers share no module)


class BadImageError(PhrasedError):
    """A file that cannot be used as a photo; ``str(err)`` is the user-facing reason, one
    of engine.errors' ``UNREADABLE_REASONS`` filled in."""


def load_image(path: str | Path, min_side: int | None = None) -> Image.Image:
    """Open ``path`` as an upright RGB image.

    ``min_side``: the smallest side the caller needs; JPEGs are then decoded at the
    largest power-of-two reduction that still keeps both sides >= ``min_side``.
    Raises :class:`BadImageError` with a one-line reason for anything unusable.
    """
    path = Path(path)
    try:
        if path.stat().st_size == 0:
            raise BadImageError(EMPTY_FILE)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                if img.width * img.height > MAX_PIXELS:
                    raise BadImageError(TOO_LARGE, width=img.width, height=img.height)
                facts = photo_facts(img)
                if min_side and img.format == "JPEG":
                    img.draft("RGB", draft_size(img.size, min_side))
                img.seek(0)
                img.load()
                upright = to_rgb(ImageOps.exif_transpose(img))
                upright.info[FACTS_KEY] = facts
                return upright
    except BadImageError:
        raise
    except FileNotFoundError:
        raise BadImageError(VANISHED) from None
    except PermissionError:
        raise BadImageError(PERMISSION_DENIED) from None
    except IsADirectoryError:
        raise BadImageError(IS_A_DIRECTORY) from None
    except UnidentifiedImageError:
        raise BadImageError(NOT_AN_IMAGE) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise BadImageError(BOMB_REFUSED, error=first_line(exc)) from None
    except OSError as exc:
        raise BadImageError(CORRUPT, error=first_line(exc)) from None
    except (ValueError, SyntaxError, EOFError, MemoryError) as exc:
        raise BadImageError(UNDECODABLE, error=first_line(exc)) from None


def draft_size(size: tuple[int, int], min_side: int) -> tuple[int, int]:
    # draft() picks the smallest scale >= the requested size; asking for a size with the
    # same aspect ratio whose short side is min_side keeps the short side >= min_side.
    w, h = size
    scale = min_side / min(w, h)
    return max(1, int(w * scale)), max(1, int(h * scale))


def to_rgb(img: Image.Image) -> Image.Image:
    if img.mode == "RGB":
        return img
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        return img.point(lambda v: v / 256).convert("L").convert("RGB")
    return img.convert("RGB")

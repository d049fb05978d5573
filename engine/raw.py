"""Camera RAW files (DNG, CR2, CR3, NEF, ARW, RAF, ORF, RW2) as photos: their embedded preview.

Every camera stores a full-size or large JPEG preview beside the sensor data; LibRaw
(through rawpy) finds it in each maker's container. The preview is what the camera showed,
so it serves the encoder and the thumbnail without a demosaic. A file without a usable
preview is decoded (half size). The facts come from the RAW's own TIFF header where Pillow
can read it (DNG, CR2, NEF, ARW), else from the preview's EXIF, and the sensor size and
capture time from LibRaw. Which files are RAW is decided by the caller (the scanner's list).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from engine.errors import BAD_RAW, NO_RAWPY, VANISHED, first_line
from engine.exif import photo_facts
from engine.images import FACTS_KEY, BadImageError, draft_size, to_rgb

try:
    import rawpy
except ImportError:  # pragma: no cover - a declared dependency; without it RAWs are skipped
    rawpy = None

# LibRaw's ``flip``: how to turn the sensor's picture upright.
_FLIP = {3: Image.Transpose.ROTATE_180, 5: Image.Transpose.ROTATE_90, 6: Image.Transpose.ROTATE_270}


def load_raw(path: str | Path, min_side: int | None = None) -> Image.Image:
    """The RAW file's preview as an upright RGB image carrying its facts (see images.py)."""
    if rawpy is None:
        raise BadImageError(NO_RAWPY)
    path = Path(path)
    try:
        with rawpy.imread(str(path)) as raw:
            image, preview_facts = _preview(raw, min_side)
            facts = {**preview_facts, **_header_facts(path)}
            sizes, shot = raw.sizes, raw.other.timestamp
            facts.update(width=sizes.width, height=sizes.height, format=path.suffix[1:].lower())
            if sizes.flip in (5, 6):
                facts["rotated"] = True
            if "taken" not in facts and shot.year > 1970:
                facts["taken"] = shot.strftime("%Y-%m-%d %H:%M:%S")
            flip = _FLIP.get(sizes.flip)
    except FileNotFoundError:
        raise BadImageError(VANISHED) from None
    except BadImageError:
        raise
    except Exception as exc:  # LibRaw's errors (unsupported, damaged) and Pillow's
        raise BadImageError(BAD_RAW, error=first_line(exc)) from None
    upright = image.transpose(flip) if flip is not None else ImageOps.exif_transpose(image)
    upright = to_rgb(upright)
    upright.info[FACTS_KEY] = facts
    return upright


def read_raw_facts(path: str | Path) -> dict[str, Any]:
    """A RAW file's facts without decoding a picture (the metadata backfill)."""
    return load_raw(path, 64).info[FACTS_KEY]


def _preview(raw: Any, min_side: int | None) -> tuple[Image.Image, dict[str, Any]]:
    try:
        thumb = raw.extract_thumb()
    except (rawpy.LibRawNoThumbnailError, rawpy.LibRawUnsupportedThumbnailError):
        pixels = raw.postprocess(half_size=True, use_camera_wb=True, output_bps=8)
        return Image.fromarray(pixels), {}
    if thumb.format == rawpy.ThumbFormat.BITMAP:
        return Image.fromarray(np.asarray(thumb.data, dtype=np.uint8)), {}
    img = Image.open(io.BytesIO(thumb.data))
    facts = photo_facts(img)
    if min_side and img.format == "JPEG":
        img.draft("RGB", draft_size(img.size, min_side))
    img.load()
    return img, facts


def _header_facts(path: Path) -> dict[str, Any]:
    """Facts from a TIFF-based RAW's header, without its format and size (LibRaw's count)."""
    try:
        with Image.open(path) as img:
            facts = photo_facts(img)
    except Exception:  # CR3, RAF and others are no TIFF: the preview's EXIF serves
        return {}
    for key in ("format", "width", "height", "rotated"):
        facts.pop(key, None)
    return facts

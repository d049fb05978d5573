"""On-disk thumbnail cache, filled from the same decode that feeds the encoder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

from index.atomic import atomic_target

THUMB_SIZE = 256


def thumbnail_path(thumbs_dir: Path, photo_id: int) -> Path:
    return thumbs_dir / f"{photo_id % 256:02x}" / f"{photo_id}.jpg"


def write_thumbnail(thumbs_dir: Path, photo_id: int, image: Image.Image) -> Path:
    from PIL import Image

    target = thumbnail_path(thumbs_dir, photo_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE), Image.Resampling.BILINEAR)
    with atomic_target(target, durable=False) as tmp:
        thumb.save(tmp, "JPEG", quality=85)
    return target

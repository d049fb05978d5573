"""One shot, one result: a RAW file and the JPEG (or HEIC) the camera wrote beside it.

Twins share a folder, a file name stem and a capture time; of each such group only the
best ranked file is kept. Photos without a capture time of their own (file times differ
by chance) are never twins.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

from index.catalog import Catalog
from index.meta_store import read_meta
from index.photo_meta import EXIF

T = TypeVar("T")


def one_per_shot(
    catalog: Catalog, items: Sequence[T], key: Callable[[T], tuple[int, str]]
) -> list[T]:
    """``items`` in order without later twins; ``key`` gives an item's (photo id, path)."""
    metas = read_meta(catalog, (key(item)[0] for item in items))
    seen: set[tuple[str, str, int]] = set()
    out: list[T] = []
    for item in items:
        photo_id, path = key(item)
        meta = metas.get(photo_id)
        if meta is not None and meta.date_source == EXIF and meta.taken is not None:
            stem = os.path.splitext(path)[0].casefold()
            shot = (os.path.dirname(path), stem, meta.taken)
            if shot in seen:
                continue
            seen.add(shot)
        out.append(item)
    return out

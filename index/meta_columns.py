"""The library's metadata as numpy columns, so a filter over a million photos is a few
vectorised comparisons (no SQL per query).

Text facts (folder, camera, place, type) are stored as codes into small tables of distinct
values: a filter tests the few hundred distinct values, then selects rows by code. The
columns are reloaded when the catalog has changed (another process's commit or our own).
"""

from __future__ import annotations

import os
import threading

import numpy as np

from index.catalog import SKIPPED, Catalog
from index.meta_store import has_meta_table
from index.paths import is_within
from index.photo_filter import ORIENTATIONS, PhotoFilter, expand_types
from index.photo_meta import camera_name


class MetaColumns:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._lock = threading.Lock()
        self._signature: tuple | None = None

    def _fresh(self) -> None:
        signature = tuple(self.catalog.read("SELECT total_changes()")[0]) + tuple(
            self.catalog.read("PRAGMA data_version")[0]
        )
        if signature != self._signature:
            self._load()
            self._signature = signature

    def _load(self) -> None:
        meta = has_meta_table(self.catalog)
        cols = (
            "m.taken, m.make, m.model, m.city, m.region, m.country, m.file_type, m.width, m.height"
        )
        join = " LEFT JOIN photo_meta m ON m.photo_id = p.id" if meta else ""
        rows = self.catalog.read(
            f"SELECT p.id, p.path, {cols if meta else 'NULL' + ', NULL' * 8} FROM photos p{join}"
            " WHERE p.status != ? ORDER BY p.id",
            (SKIPPED,),
        )
        n = len(rows)
        self.ids = np.fromiter((r[0] for r in rows), np.int64, n)
        self.taken = np.fromiter((r[2] or 0 for r in rows), np.int64, n)
        self.dirs, self.dir_code = _codes(os.path.dirname(r[1]) for r in rows)
        self.cameras, self.camera_code = _codes(camera_name(r[3], r[4]) or "" for r in rows)
        self.places, self.place_code = _codes(", ".join(p for p in r[5:8] if p) for r in rows)
        self.types, self.type_code = _codes(r[8] or "" for r in rows)
        width = np.fromiter((r[9] or 0 for r in rows), np.int64, n)
        height = np.fromiter((r[10] or 0 for r in rows), np.int64, n)
        self.short_side = np.minimum(width, height)
        self.orientation = np.where(width == height, 2, np.where(width > height, 0, 1)).astype(
            np.int8
        )
        self.orientation[width == 0] = -1

    def matching(self, flt: PhotoFilter) -> np.ndarray:
        """Ids of the photos (indexed or being indexed) that pass ``flt``, ascending."""
        with self._lock:
            self._fresh()
            mask = np.ones(len(self.ids), dtype=bool)
            if flt.after is not None:
                mask &= self.taken >= flt.after
            if flt.before is not None:
                mask &= (self.taken < flt.before) & (self.taken > 0)
            if flt.folder:
                mask &= _select(self.dir_code, self.dirs, lambda d: is_within(d, flt.folder))
            if flt.camera:
                needle = flt.camera.casefold()
                mask &= _select(self.camera_code, self.cameras, lambda c: needle in c.casefold())
            if flt.place:
                needle = flt.place.casefold()
                mask &= _select(self.place_code, self.places, lambda p: needle in p.casefold())
            if flt.types:
                wanted = expand_types(flt.types)
                mask &= _select(self.type_code, self.types, lambda t: t in wanted)
            if flt.orientation:
                mask &= self.orientation == ORIENTATIONS.index(flt.orientation)
            if flt.min_side:
                mask &= self.short_side >= flt.min_side
            return self.ids[mask]

    def taken_of(self, ids: np.ndarray) -> np.ndarray:
        """The date-taken column for ``ids`` (ids as ``matching`` returned them)."""
        with self._lock:
            return self.taken[np.searchsorted(self.ids, ids)]


def _codes(values) -> tuple[list[str], np.ndarray]:
    table: dict[str, int] = {}
    codes = np.fromiter((table.setdefault(v, len(table)) for v in values), np.int32)
    return list(table), codes


def _select(codes: np.ndarray, table: list[str], test) -> np.ndarray:
    hits = np.fromiter((bool(test(v)) for v in table), bool, len(table))
    return hits[codes] if len(table) else np.zeros(len(codes), dtype=bool)

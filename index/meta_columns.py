"""Which photos pass a filter: a few bulk reads of the catalog the first time, no SQL the
next times.

Numbers (date taken, pixel size) are numpy columns aligned with the photos' ids, read from
the catalog only when a filter first needs them. Text facts (camera, place) are matched on
their few hundred distinct values in Python, then SQLite hands over the ids that carry a
passing value; file types select ids by value and a folder by a range of the path index.
Ids come from SQLite as one joined string (``group_concat``) that numpy parses, so no
Python object is made per photo (a row per photo made a large library's first filtered
search slow: bench.filters times the first search against that way).

Everything read, and the ids each filter keeps, is remembered until the catalog changes
(another process's commit or our own): then it is read again when next needed.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict

import numpy as np

from index.catalog import SKIPPED, Catalog
from index.meta_store import has_meta_table
from index.paths import catalog_key
from index.photo_filter import ORIENTATIONS, PhotoFilter, expand_types
from index.photo_meta import camera_name

REMEMBERED = 32  # filters whose ids are kept (for the catalog as it is)
# Text facts matched on their distinct values: the key SQLite compares, and the fields
# Python turns into the name a filter tests.
_FACTS = {
    "camera": (
        "json_array(make, model)",
        lambda make, model: camera_name(make, model) or "",
    ),
    "place": (
        "json_array(city, region, country)",
        lambda *parts: ", ".join(p for p in parts if p),
    ),
}


class MetaColumns:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._lock = threading.Lock()
        self._signature: tuple | None = None
        self._ids = np.zeros(0, np.int64)
        self._has_meta = False
        self._columns: dict[str, np.ndarray] = {}
        self._distinct: dict[str, list[tuple[str, str]]] = {}
        self._matches: OrderedDict[PhotoFilter, np.ndarray] = OrderedDict()

    def matching(self, flt: PhotoFilter) -> np.ndarray:
        """Ids of the photos (indexed or being indexed) that pass ``flt``, ascending (a
        read-only array, shared by the searches with the same filter)."""
        with self._lock:
            self._fresh()
            ids = self._matches.get(flt)
            if ids is None:
                ids = self._ids[self._mask(flt)]
                ids.flags.writeable = False
                self._matches[flt] = ids
                if len(self._matches) > REMEMBERED:
                    self._matches.popitem(last=False)
            self._matches.move_to_end(flt)
            return ids

    def taken_of(self, ids: np.ndarray) -> np.ndarray:
        """The date-taken column for ``ids`` (ids as ``matching`` returned them)."""
        with self._lock:
            return self._column("taken")[np.searchsorted(self._ids, ids)]

    def _fresh(self) -> None:
        signature = tuple(self.catalog.read("SELECT total_changes()")[0]) + tuple(
            self.catalog.read("PRAGMA data_version")[0]
        )
        if signature != self._signature:
            sql = "SELECT group_concat(id) FROM photos WHERE status != ?"
            self._ids = self._id_list(sql, (SKIPPED,))
            self._has_meta = has_meta_table(self.catalog)
            self._columns.clear()
            self._distinct.clear()
            self._matches.clear()
            self._signature = signature

    def _mask(self, flt: PhotoFilter) -> np.ndarray:
        mask = np.ones(len(self._ids), dtype=bool)
        if flt.after is not None:
            mask &= self._column("taken") >= flt.after
        if flt.before is not None:
            taken = self._column("taken")
            mask &= (taken < flt.before) & (taken > 0)
        if flt.folder:
            prefix = catalog_key(flt.folder).rstrip(os.sep) + os.sep
            upper = prefix[:-1] + chr(ord(os.sep) + 1)
            sql = "SELECT group_concat(id) FROM photos WHERE path >= ? AND path < ?"
            mask &= self._members(self._id_list(sql, (prefix, upper)))
        if flt.camera:
            mask &= self._fact("camera", flt.camera.casefold())
        if flt.place:
            mask &= self._fact("place", flt.place.casefold())
        if flt.types:
            mask &= self._meta_ids("file_type", sorted(expand_types(flt.types)))
        if flt.orientation:
            width, height = self._column("width"), self._column("height")
            shape = np.where(width == height, 2, np.where(width > height, 0, 1))
            mask &= (shape == ORIENTATIONS.index(flt.orientation)) & (width > 0)
        if flt.min_side:
            mask &= np.minimum(self._column("width"), self._column("height")) >= flt.min_side
        return mask

    def _column(self, name: str) -> np.ndarray:
        """A number from photo_meta for every id (0 where unknown)."""
        if name not in self._columns:
            column = np.zeros(len(self._ids), np.int64)
            if self._has_meta:
                row = self.catalog.read(  # in id order: then usually the id list itself
                    f"SELECT group_concat(photo_id), group_concat(coalesce({name}, 0))"
                    f" FROM (SELECT photo_id, {name} FROM photo_meta ORDER BY photo_id)"
                )[0]
                ids, values = _numbers(row[0]), _numbers(row[1])
                if np.array_equal(ids, self._ids):
                    column = values
                else:
                    at, found = self._positions(ids)
                    column[at[found]] = values[found]
            self._columns[name] = column
        return self._columns[name]

    def _fact(self, kind: str, needle: str) -> np.ndarray:
        """Photos whose camera (or place) name contains ``needle`` (casefolded)."""
        key, name = _FACTS[kind]
        if kind not in self._distinct:
            sql = f"SELECT DISTINCT {key} FROM photo_meta"
            rows = self.catalog.read(sql) if self._has_meta else []
            self._distinct[kind] = [(r[0], name(*json.loads(r[0]))) for r in rows]
        passing = [k for k, shown in self._distinct[kind] if needle in shown.casefold()]
        return self._meta_ids(key, passing)

    def _meta_ids(self, key: str, values: list[str]) -> np.ndarray:
        """A mask of the photos whose ``key`` (an expression on photo_meta) is in ``values``."""
        sql = (
            f"SELECT group_concat(photo_id) FROM photo_meta"
            f" WHERE {key} IN (SELECT value FROM json_each(?))"
        )
        if not values or not self._has_meta:
            return np.zeros(len(self._ids), dtype=bool)
        return self._members(self._id_list(sql, (json.dumps(values),)))

    def _members(self, ids: np.ndarray) -> np.ndarray:
        at, found = self._positions(ids)
        mask = np.zeros(len(self._ids), dtype=bool)
        mask[at[found]] = True
        return mask

    def _positions(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where ``ids`` are in the id list, and which of them are in it at all."""
        return positions(self._ids, ids)

    def _id_list(self, sql: str, params: tuple = ()) -> np.ndarray:
        ids = _numbers(self.catalog.read(sql, params)[0][0])
        return ids if np.all(ids[1:] > ids[:-1]) else np.sort(ids)


def _numbers(joined: str | None) -> np.ndarray:
    return np.fromstring(joined or "", dtype=np.int64, sep=",")


def positions(ascending: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``ids`` is (or would be) in the ``ascending`` ids, and which of them
    are there at all: ``ids[found]`` are those that pass, when ``ascending`` is what
    ``MetaColumns.matching`` returned."""
    at = np.minimum(np.searchsorted(ascending, ids), max(len(ascending) - 1, 0))
    found = ascending[at] == ids if len(ascending) else np.zeros(len(ids), dtype=bool)
    return at, found

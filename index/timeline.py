"""The photos a filter keeps, newest first, for browsing: how many fall in each month, and
one page of rows at a time (never the whole library at once).

A photo's date is its date taken (index.photo_meta: the camera's, else the file time);
photos with no date yet (metadata not read) come last, under month 0. The order is read
from the metadata columns once per listing (``read``), so each page is a slice of it
and a catalog read of that page's rows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from index.catalog import Catalog
from index.meta_columns import MetaColumns
from index.photo_filter import PhotoFilter

PAGE_SIZE = 400
MONTH = 10**8  # taken is YYYYMMDDHHMMSS: taken // MONTH is YYYYMM


@dataclass(frozen=True)
class MonthCount:
    year: int  # 0: no date
    month: int
    count: int


@dataclass(frozen=True)
class TimelinePhoto:
    id: int
    path: str
    taken: int  # YYYYMMDDHHMMSS, 0 when unknown

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


def months_of(taken) -> list[MonthCount]:
    """The months of dates already in order (runs of one month), with their counts."""
    months = np.asarray(taken, dtype=np.int64) // MONTH
    if not len(months):
        return []
    starts = np.flatnonzero(np.r_[True, months[1:] != months[:-1]])
    counts = np.diff(np.r_[starts, len(months)])
    return [
        MonthCount(int(months[s]) // 100, int(months[s]) % 100, int(n))
        for s, n in zip(starts, counts, strict=True)
    ]


class Timeline:
    """One listing: ``read`` fixes its order and months, ``page`` reads rows of it."""

    def __init__(self, catalog: Catalog, columns: MetaColumns, flt: PhotoFilter) -> None:
        self.catalog = catalog
        self.columns = columns
        self.filter = flt
        self._ids = np.zeros(0, dtype=np.int64)
        self._taken = np.zeros(0, dtype=np.int64)

    def read(self) -> list[MonthCount]:
        """Order the photos newest first (ties: newest id first); their months, in order."""
        ids = self.columns.matching(self.filter)
        taken = self.columns.taken_of(ids)
        order = np.lexsort((-ids, -taken))  # no date (0) sorts after every date
        self._ids, self._taken = ids[order], taken[order]
        return months_of(self._taken)

    @property
    def count(self) -> int:
        return len(self._ids)

    def ids_at(self, rows) -> np.ndarray:
        """The photo ids at these rows of the listing (rows past its end are left out)."""
        rows = np.asarray(rows, dtype=np.int64)
        return self._ids[rows[(rows >= 0) & (rows < len(self._ids))]]

    def rows_of(self, ids) -> np.ndarray:
        """The rows, in order, of those of these photos the listing holds."""
        return np.flatnonzero(np.isin(self._ids, np.asarray(ids, dtype=np.int64)))

    def paths_at(self, rows) -> list[str]:
        """The paths of the photos at these rows, in row order (a whole selection, not only
        the pages shown); photos gone from the catalog meanwhile are left out."""
        ids = [int(i) for i in self.ids_at(np.sort(np.asarray(rows, dtype=np.int64)))]
        found = self.catalog.photos_by_ids(ids)
        return [found[i].path for i in ids if i in found]

    def page(self, offset: int, limit: int = PAGE_SIZE) -> list[TimelinePhoto]:
        """Photos ``offset`` to ``offset + limit`` in this listing's order."""
        ids = [int(i) for i in self._ids[offset : offset + limit]]
        taken = self._taken[offset : offset + limit]
        rows = self.catalog.photos_by_ids(ids)  # exact paths (index.paths)
        return [
            TimelinePhoto(i, rows[i].path, int(t))
            for i, t in zip(ids, taken, strict=True)
            if i in rows
        ]

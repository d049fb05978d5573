"""The library newest first, for browsing: how many photos fall in each month, and one
page of photos at a time (never the whole library at once).

A photo's date is its file time here; every query takes it from ``DATE_NS`` so the
order, the months and the pages always agree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from index.catalog import SKIPPED, Catalog

DATE_NS = "mtime_ns"  # a photo's date, nanoseconds since the epoch
MONTH = f"strftime('%Y-%m', {DATE_NS} / 1000000000, 'unixepoch', 'localtime')"
ORDER = f"{DATE_NS} DESC, id DESC"  # newest first; the id makes the order total
PAGE_SIZE = 400


@dataclass(frozen=True)
class MonthCount:
    year: int
    month: int
    count: int


@dataclass(frozen=True)
class TimelinePhoto:
    id: int
    path: str
    date_ns: int

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


class Timeline:
    """The photos of the library (or of one of its folders) that are not skipped."""

    def __init__(self, catalog: Catalog, folder_id: int | None = None) -> None:
        self.catalog = catalog
        self._where = "status != ?" + (" AND folder_id = ?" if folder_id is not None else "")
        self._params: tuple = (SKIPPED,) if folder_id is None else (SKIPPED, folder_id)

    def months(self) -> list[MonthCount]:
        """Newest month first; the counts add up to the photos in the timeline."""
        rows = self.catalog.read(
            f"SELECT {MONTH} AS m, COUNT(*) FROM photos WHERE {self._where}"
            " GROUP BY m ORDER BY m DESC",
            self._params,
        )
        return [MonthCount(int(m[:4]), int(m[5:7]), n) for m, n in rows if m]

    def page(self, offset: int, limit: int = PAGE_SIZE) -> list[TimelinePhoto]:
        """Photos ``offset`` to ``offset + limit`` in timeline order."""
        keys = self.catalog.read(
            f"SELECT id, {DATE_NS} FROM photos WHERE {self._where} ORDER BY {ORDER}"
            " LIMIT ? OFFSET ?",
            (*self._params, limit, offset),
        )
        rows = self.catalog.photos_by_ids(i for i, _ in keys)  # exact paths (index.paths)
        return [TimelinePhoto(i, rows[i].path, date) for i, date in keys if i in rows]

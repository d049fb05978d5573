"""The whole library (or a folder) newest first, as a Qt list model read a page at a time.

The row count and the month sections come from ``Timeline.months()``; a row's photo is
known once its page has arrived. Asking for a row of a missing page emits
``page_wanted`` (once per page) and shows an empty cell until ``add_page``. At most
``MAX_PAGES`` pages are kept, the least recently read go first. The listing's
``Timeline`` answers for every row, loaded or not: the photo ids of a selection (kept
across reloads by id) and the paths a select-all acts on.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.gui.photo_grid import Section
from app.gui.results_model import DateRole, PathRole
from app.gui.thumbnail_loader import ThumbnailLoader
from index.timeline import PAGE_SIZE, MonthCount, Timeline, TimelinePhoto

# reads the paths at rows of a listing on a worker, then calls back on the GUI thread
PathReader = Callable[[Timeline, np.ndarray, Callable[[list[str]], None]], None]

MAX_PAGES = 60


def month_title(year: int, month: int) -> str:
    """ "November 2026", in the user's language ("No date" for year 0)."""
    if not year:
        return QCoreApplication.translate("BrowseModel", "No date")
    title = QCoreApplication.translate("BrowseModel", "{month_name} {year}")
    return title.format(month_name=QLocale().standaloneMonthName(month), month=month, year=year)


def taken_text(taken: int) -> str:
    """YYYYMMDDHHMMSS as "2024-07-14 10:30" ("" when unknown)."""
    if not taken:
        return ""
    s = f"{taken:014d}"
    return f"{s[:4]}-{s[4:6]}-{s[6:8]} {s[8:10]}:{s[10:12]}"


def month_sections(months: list[MonthCount]) -> list[Section]:
    sections, start = [], 0
    for m in months:
        sections.append(Section(month_title(m.year, m.month), start, m.count))
        start += m.count
    return sections


class BrowseModel(QAbstractListModel):
    page_wanted = Signal(int)  # offset of a page to load

    def __init__(self, thumbnails: ThumbnailLoader, read_paths: PathReader, parent=None) -> None:
        super().__init__(parent)
        self.thumbnails = thumbnails
        self.timeline: Timeline | None = None
        self._read_paths = read_paths
        self.sections: list[Section] = []
        self.months: list[MonthCount] = []
        self._count = 0
        self._pages: OrderedDict[int, list[TimelinePhoto]] = OrderedDict()
        self._asked: set[int] = set()
        self._rows: dict[int, int] = {}  # photo id -> row, for the loaded pages
        thumbnails.loaded.connect(self._thumbnail_loaded)

    def set_listing(self, timeline: Timeline, months: list[MonthCount]) -> None:
        """A new listing: its rows are loaded again as they are shown. (While the model
        resets, a view reads the old listing's ids at ``modelAboutToBeReset`` and the new
        one's rows at ``modelReset``.)"""
        self.beginResetModel()
        self.timeline = timeline
        self.months = list(months)
        self.sections = month_sections(self.months)
        self._count = sum(m.count for m in self.months)
        self._pages.clear()
        self._asked.clear()
        self._rows.clear()
        self.endResetModel()

    def add_page(self, offset: int, photos: list[TimelinePhoto]) -> None:
        self._asked.discard(offset)
        if offset >= self._count:
            return
        photos = photos[: self._count - offset]
        self._pages[offset] = photos
        for i, photo in enumerate(photos):
            self._rows[photo.id] = offset + i
        while len(self._pages) > MAX_PAGES:
            _, dropped = self._pages.popitem(last=False)
            for photo in dropped:
                self._rows.pop(photo.id, None)
        if photos:
            self.dataChanged.emit(self.index(offset), self.index(offset + len(photos) - 1))

    def photo(self, row: int) -> TimelinePhoto | None:
        """The photo at ``row``, or None while its page loads (then it is asked for)."""
        offset = row - row % PAGE_SIZE
        if offset not in self._pages:
            if offset not in self._asked and 0 <= row < self._count:
                self._asked.add(offset)
                self.page_wanted.emit(offset)
            return None
        self._pages.move_to_end(offset)
        return self._loaded(row)

    def _loaded(self, row: int) -> TimelinePhoto | None:
        """The photo at ``row`` if its page is loaded (nothing is asked for)."""
        offset = row - row % PAGE_SIZE
        page = self._pages.get(offset, ())
        return page[row - offset] if row - offset < len(page) else None

    def ids_at(self, rows) -> np.ndarray:
        """The photo ids at these rows."""
        return self.timeline.ids_at(rows) if self.timeline else np.zeros(0, np.int64)

    def rows_of(self, ids) -> np.ndarray:
        """The rows of these photos, in order (those the listing holds)."""
        return self.timeline.rows_of(ids) if self.timeline else np.zeros(0, np.int64)

    def paths_of_rows(self, rows, done: Callable[[list[str]], None]) -> None:
        """Call ``done`` with the paths at ``rows`` (loaded or not), in row order: at once
        when their pages are loaded, else once a worker has read them."""
        rows = np.sort(np.asarray(rows, dtype=np.int64))
        photos = [self._loaded(int(r)) for r in rows] if len(rows) <= PAGE_SIZE else [None]
        if all(photos):
            done([p.path for p in photos if p is not None])
        elif self.timeline is not None:
            self._read_paths(self.timeline, rows, done)

    @property
    def pages_loaded(self) -> int:
        return len(self._pages)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0):
        if not index.isValid():
            return None
        photo = self.photo(index.row())
        if photo is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return photo.name
        if role == Qt.ItemDataRole.DecorationRole:
            return self.thumbnails.image(photo.id, photo.path)
        if role == PathRole:
            return photo.path
        if role == DateRole:
            return photo.taken
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(p for p in (photo.name, taken_text(photo.taken), photo.path) if p)
        return None

    def _thumbnail_loaded(self, photo_id: int) -> None:
        row = self._rows.get(photo_id)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

"""Browsing: with no query the window shows the photos the filters keep, newest first.

Holds the filter of the listing and the ``BrowseModel`` the grid shows; the month counts
and each page come from ``index.timeline`` on workers. A newer listing wins: pages and
counts of an older one are dropped. While indexing adds photos the listing is read
again, at most every ``REFRESH_S``.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from app.gui.browse_model import BrowseModel
from app.gui.session import Session
from app.gui.thumbnail_loader import ThumbnailLoader
from app.gui.workers import Jobs
from index.photo_filter import PhotoFilter
from index.timeline import PAGE_SIZE, MonthCount, Timeline, TimelinePhoto

REFRESH_S = 5.0


class BrowseController(QObject):
    changed = Signal()  # the listing (its months) was read again
    error = Signal(str)

    def __init__(self, session: Session, jobs: Jobs, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.jobs = jobs
        self.thumbnails = ThumbnailLoader(self)
        self.model = BrowseModel(self.thumbnails, self._read_paths, self)
        self.model.page_wanted.connect(self._load_page)
        self.filter = PhotoFilter()  # the window's filters (folder, dates, place...)
        self._serial = 0  # the newest read of the listing
        self._version = 0  # the listing on show; a page read for another is dropped
        self._timeline: Timeline | None = None
        self._read_at = 0.0
        self._photos = -1  # the library's photo count when last heard
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(self.reload)

    @property
    def count(self) -> int:
        return self.model.rowCount()

    @property
    def folder(self) -> str | None:
        return self.filter.folder

    def set_filter(self, flt: PhotoFilter) -> None:
        """List the photos ``flt`` keeps."""
        if flt != self.filter:
            self.filter = flt
            self.reload()

    def library_changed(self, photos: int) -> None:
        """The library now has ``photos``: if that changed, read the listing again (at
        most every REFRESH_S while indexing adds photos)."""
        if photos == self._photos:
            return
        self._photos = photos
        wait = REFRESH_S - (time.monotonic() - self._read_at)
        if wait <= 0 or not self.count:
            self.reload()
        elif not self._later.isActive():
            self._later.start(int(wait * 1000))

    def reload(self) -> None:
        library = self.session.library
        if library is None:
            return
        self.thumbnails.thumbs_dir = library.thumbs_dir
        self._later.stop()
        self._serial += 1
        self._read_at = time.monotonic()
        serial = self._serial
        timeline = Timeline(library.catalog, self.session.columns(), self.filter)

        def read() -> tuple[Timeline | None, list[MonthCount]]:
            return timeline, timeline.read()

        self.jobs.start(read, on_result=lambda got: self._read(serial, *got), on_error=self.error)

    def _read(self, serial: int, timeline: Timeline | None, months: list[MonthCount]) -> None:
        if serial != self._serial:
            return
        self._timeline = timeline
        if months != self.model.months:
            self._version += 1  # pages of the old listing no longer fit
            self.thumbnails.forget()
            self.model.set_listing(timeline, months)
        else:
            self.model.timeline = timeline
        self.changed.emit()

    def _read_paths(self, timeline: Timeline, rows, done) -> None:
        self.jobs.start(timeline.paths_at, rows, on_result=done, on_error=self.error)

    def _load_page(self, offset: int) -> None:
        timeline, version = self._timeline, self._version
        if timeline is None:
            return
        self.jobs.start(
            timeline.page,
            offset,
            PAGE_SIZE,
            on_result=lambda photos: self._page(version, offset, photos),
            on_error=self.error,
        )

    def _page(self, version: int, offset: int, photos: list[TimelinePhoto]) -> None:
        if version == self._version:
            self.model.add_page(offset, photos)

    def close(self) -> None:
        self._later.stop()
        self.thumbnails.close()

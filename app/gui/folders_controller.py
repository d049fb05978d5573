"""The library's folders and their background indexing, for the window's controller.

Owns the indexing service (started through ``app.background_indexing``, the same path
``photosearch watch`` takes), the pause state, and the folder list with its counts.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from app.background_indexing import start_indexing
from app.errors import CommandError
from app.folder_exclusions import change_exclusions
from app.gui.indexing_signals import IndexingSignals
from app.gui.session import FolderStatus, Session
from app.gui.workers import Jobs
from app.translation import _
from index.background import IndexingService
from index.folders import add_folder

COUNTS_REFRESH_S = 1.0


@dataclass(frozen=True)
class LibraryState:
    folders: list[FolderStatus]
    photos: int
    skipped: int


class FoldersController(QObject):
    library_changed = Signal(object)  # LibraryState
    skipped_loaded = Signal(list)  # PhotoRow list
    error = Signal(str)
    exclusions_refused = Signal(str)  # why a folder's exclusions were left as they were

    def __init__(self, session: Session, jobs: Jobs, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.jobs = jobs
        self.indexing: IndexingService | None = None
        self.signals = IndexingSignals(self)
        self.paused = False
        self.state: LibraryState | None = None
        self._refreshed_at = 0.0
        self.unavailable = self.tr(
            "No model is loaded; pick one in Settings."
        )  # why indexing is off
        self.signals.started.connect(lambda _folders: self.refresh())
        self.signals.progress.connect(self._progress)
        self.signals.changed.connect(self.refresh)
        self.signals.error.connect(self.error)

    # -- the service ------------------------------------------------------------------
    def start_indexing(self, **options) -> None:
        """Start watching and indexing with the session's encoder (a writable library)."""
        session = self.session
        if session.read_only or session.library is None or session.encoder is None:
            return
        self.indexing = start_indexing(
            session.library,
            session.encoder,
            self.signals.callbacks(),
            paused=self.paused,
            **options,
        )

    def take_indexing(self) -> IndexingService | None:
        """Detach the service (the caller stops it, off the GUI thread)."""
        service, self.indexing = self.indexing, None
        return service

    def stop_indexing(self) -> None:
        service = self.take_indexing()
        if service is not None:
            service.stop()

    # -- requests ---------------------------------------------------------------------
    def add_folder(self, path: str) -> None:
        if not os.path.isdir(path):
            self.error.emit(self.tr("Not a folder: {path}").format(path=path))
        elif self.indexing is not None:
            self.indexing.add_folder(path)
        elif self.session.library is not None and not self.session.read_only:
            # no model yet: keep the folder; the first indexing job picks it up
            library = self.session.library
            self.jobs.start(
                lambda: add_folder(library, path),
                on_result=lambda _row: self.refresh(),
                on_error=self.error.emit,
            )
        else:
            self.error.emit(self.unavailable)

    def remove_folder(self, path: str) -> None:
        if self.indexing is None:
            self.error.emit(self.unavailable)
        else:
            self.indexing.remove_folder(path)

    def change_exclusions(self, path: str, added: list[str], removed: list[str]) -> None:
        """Leave out ``added`` patterns below ``path`` and no longer ``removed`` ones, then
        rescan it: excluded photos leave the library, photos no longer excluded come in."""
        library = self.session.library
        if library is None or self.session.read_only:
            self.exclusions_refused.emit(self.unavailable)
            return

        def change() -> None:
            row = library.catalog.folder_by_path(path)
            if row is None:
                raise CommandError(_("not a library folder: {path}").format(path=path))
            change_exclusions(library, row, added, removed)

        self.jobs.start(
            change,
            on_result=lambda _none: self._rescan(path),
            on_error=self.exclusions_refused.emit,
        )

    def _rescan(self, path: str) -> None:
        if self.indexing is not None:  # else the first indexing job scans every folder
            self.indexing.rescan([path])
        self.refresh()

    def set_paused(self, paused: bool) -> None:
        self.paused = paused
        if self.indexing is not None:
            (self.indexing.pause if paused else self.indexing.resume)()

    def _progress(self, _state) -> None:
        # photos become searchable batch by batch: let the counts follow, about once a second
        if time.monotonic() - self._refreshed_at >= COUNTS_REFRESH_S:
            self.refresh()

    def refresh(self) -> None:
        if self.session.library is None:
            return
        self._refreshed_at = time.monotonic()
        busy = self.indexing.busy_folders if self.indexing else frozenset()
        watched = self.indexing is not None or self.session.read_only  # (by the other process)
        session = self.session

        def load() -> LibraryState:
            folders = session.folders(busy, watched=watched)
            return LibraryState(folders, sum(f.count for f in folders), len(session.skipped()))

        self.jobs.start(load, on_result=self._loaded, on_error=self.error.emit)

    def _loaded(self, state: LibraryState) -> None:
        self.state = state
        self.library_changed.emit(state)

    def load_skipped(self) -> None:
        if self.session.library is not None:
            self.jobs.start(
                self.session.skipped, on_result=self.skipped_loaded.emit, on_error=self.error.emit
            )

"""The order of searches: the query, typing debounce, result count, and which results show.

A newer search always wins: each request carries a serial and results of an older one
are dropped. Searches run on workers; nothing here blocks the GUI thread.
"""

from __future__ import annotations

import os
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from app.gui.preview import PreviewData, load_preview
from app.gui.search_jobs import (
    IMAGE,
    IMAGES,
    TEXT,
    TEXT_IMAGE,
    SearchOutcome,
    SearchRequest,
    run_search,
)
from app.gui.session import Session
from app.gui.settings import GuiSettings
from app.gui.viewer import FULL_SIDE
from app.gui.workers import Jobs
from app.photos import RELEVANCE
from index.photo_filter import PhotoFilter

DEBOUNCE_MS = 250


class SearchController(QObject):
    query_changed = Signal(str)  # the query changed other than by typing (the field follows)
    results_changed = Signal(object)  # SearchOutcome; None when cleared
    preview_loaded = Signal(object, object)  # PreviewData, score
    full_loaded = Signal(object)  # PreviewData at (nearly) full size, for the viewer
    result_count_changed = Signal(int)
    waiting = Signal()  # a search waits for the model to load
    error = Signal(str)
    recovered = Signal()  # a search worked after one failed: its error is stale

    def __init__(self, session: Session, jobs: Jobs, settings: GuiSettings, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.jobs = jobs
        self.settings = settings
        self.can_search = False  # a model is loaded
        self.query = ""  # the text in the search field
        self.outcome: SearchOutcome | None = None  # the results on show
        self.filter = PhotoFilter()  # the window's filters (app/gui/filters_controller.py)
        self.sort = RELEVANCE
        self._serial = 0
        self._last: tuple[str, str] | None = None  # (kind, query) of the latest search
        self._failed = False
        self._debounce = _single_shot(self, self.search_now)
        self._repeat = _single_shot(self, self._run_last)  # after a new result count

    def type_query(self, text: str) -> None:
        """The search field changed: search once typing pauses."""
        self.query = text.strip()
        self._debounce.start()

    def search_text(self, text: str) -> None:
        """Search for ``text`` at once (as Enter does)."""
        self._set_query(text.strip())
        self.search_now()

    def _set_query(self, text: str) -> None:
        if text != self.query:
            self.query = text
            self.query_changed.emit(text)

    def search_now(self) -> None:
        self._debounce.stop()
        if not self.query:
            self._serial += 1
            self._last = None
            self._set_outcome(None)
            return
        self._run(TEXT, self.query)

    def search_similar(self, path: str) -> None:
        self._set_query("")  # the results are no longer about the typed text
        self._run(IMAGE, path)

    def search_with_image(self, path: str) -> None:
        """An image added to the query: with text in the field, photos matching the text
        and like the image together (the text stays); without, photos like the image."""
        if self.query:
            self._run(TEXT_IMAGE, f"{self.query}\n{path}")
        else:
            self.search_similar(path)

    def search_similar_to(self, paths: list[str]) -> None:
        """Photos like all of ``paths`` together (a selection)."""
        if len(paths) == 1:
            self.search_similar(paths[0])
        elif paths:
            self._set_query("")
            self._run(IMAGES, "\n".join(paths))

    def set_filter(self, flt: PhotoFilter) -> None:
        """Searches keep only the photos ``flt`` keeps; the one on show runs again."""
        self.filter = flt
        self.rerun()

    def set_sort(self, sort: str) -> None:
        """RELEVANCE or DATE (the best results, newest first); the one on show follows."""
        self.sort = sort
        self.rerun()

    def set_result_count(self, count: int) -> None:
        """One value for the Show box and Settings; the results on show follow it."""
        if count == self.settings.results:
            return
        self.settings.results = count
        self.settings.save()
        self.result_count_changed.emit(count)
        if self._last is not None:
            self._repeat.start()  # once the spin box settles

    def rerun(self) -> None:
        """Search again for what is on show (the model or the library changed)."""
        if self._last is not None:
            self._run_last()
        elif self.query:
            self.search_now()

    def _run_last(self) -> None:
        if self._last is not None:
            self._run(*self._last)

    def _run(self, kind: str, query: str) -> None:
        self.stop_timers()  # a typed query still waiting must not replace this one
        if not self.can_search:
            self.waiting.emit()
            return
        self._serial += 1
        self._last = (kind, query)
        request = SearchRequest(
            self._serial,
            kind,
            query,
            self.settings.results,
            self.settings.thumb,
            self.filter if not self.filter.is_empty() else None,
            self.sort,
        )
        self.jobs.start(
            run_search, self.session, request, on_result=self._searched, on_error=self._error
        )

    def _error(self, message: str) -> None:
        self._failed = True
        self.error.emit(message)

    def _searched(self, outcome: SearchOutcome) -> None:
        if outcome.request.serial != self._serial:
            return  # a newer query is on its way
        if self._failed:
            self._failed = False
            self.recovered.emit()
        self._set_outcome(outcome)

    def _set_outcome(self, outcome: SearchOutcome | None) -> None:
        self.outcome = outcome
        self.results_changed.emit(outcome)

    def drop(self, paths: list[str]) -> None:
        """Take photos that no longer exist out of the results on show."""
        gone = set(paths)
        if self.outcome is not None and any(item.path in gone for item in self.outcome.items):
            items = [item for item in self.outcome.items if item.path not in gone]
            self._set_outcome(replace(self.outcome, items=items))

    def drop_under(self, folder: str) -> None:
        """Take the photos in ``folder`` out of the results on show (it left the library)."""
        if self.outcome is not None:
            prefix = folder.rstrip(os.sep) + os.sep
            self.drop([i.path for i in self.outcome.items if i.path.startswith(prefix)])

    def request_preview(self, path: str, score: float | None, boxes: tuple = ()) -> None:
        """Load the photo and its recognised text; ``boxes``: the matched text to mark."""

        def load() -> PreviewData:
            lines = tuple(self.session.text_lines(path)) if self.session.library else ()
            data = load_preview(path, meta=self.session.meta_of(path))
            return replace(data, lines=lines, matched=tuple(boxes))

        self.jobs.start(
            load,
            on_result=lambda data: self.preview_loaded.emit(data, score),
            on_error=self.error.emit,
        )

    def load_full(self, path: str) -> None:
        self.jobs.start(
            lambda: load_preview(path, FULL_SIDE, self.session.meta_of(path)),
            on_result=self.full_loaded.emit,
            on_error=self.error.emit,
        )

    def stop_timers(self) -> None:
        self._debounce.stop()
        self._repeat.stop()


def _single_shot(parent: QObject, slot) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(DEBOUNCE_MS)
    timer.timeout.connect(slot)
    return timer

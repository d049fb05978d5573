"""The background indexing service's callbacks as Qt signals, delivered on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.messages import localized
from index.background import IndexCallbacks


class IndexingSignals(QObject):
    progress = Signal(object)  # index.pipeline.Progress
    started = Signal(object)  # frozenset of the folders being indexed
    finished = Signal(object)  # index.pipeline.IndexSummary
    changed = Signal()
    error = Signal(str)  # one line, in the interface's language
    text_progress = Signal(object)  # index.pipeline.Progress of the OCR pass

    def callbacks(self) -> IndexCallbacks:
        return IndexCallbacks(
            progress=self.progress.emit,
            started=self.started.emit,
            finished=self.finished.emit,
            changed=self.changed.emit,
            error=lambda exc: self.error.emit(localized(exc)),
            text_progress=self.text_progress.emit,
        )

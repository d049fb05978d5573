"""The main window: wires the widgets to the session, the indexing service and workers.

Everything that touches the model, the disk or the index runs in a worker or in the
indexing thread; the slots here only move finished state into widgets.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QObject, QThreadPool, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui import desktop
from app.gui.banner import Banner
from app.gui.folders_panel import FoldersPanel
from app.gui.indexing import IndexCallbacks, IndexingService, make_indexing_service
from app.gui.preview import PreviewData, PreviewPane, load_preview
from app.gui.results_model import PathRole, ResultsModel, ScoreRole
from app.gui.results_view import ResultsView
from app.gui.search_jobs import IMAGE, TEXT, SearchOutcome, SearchRequest, run_search
from app.gui.session import ModelInfo, Session
from app.gui.settings import GuiSettings
from app.gui.settings_dialog import SettingsDialog
from app.gui.skipped_dialog import SkippedDialog
from app.gui.status import StatusArea
from app.gui.workers import Jobs
from index.pipeline import IndexSummary, Progress
from index.scanner import has_image_suffix

DEBOUNCE_MS = 250


@dataclass(frozen=True)
class GuiOptions:
    library: str | None = None
    model: str | None = None  # from the command line: wins over the saved setting
    weights: str | None = None
    watch: bool = True  # follow folder changes (watchdog)
    rescan_s: float | None = None  # periodic full rescans on top of watching
    indexer_options: dict | None = None


class IndexingSignals(QObject):
    """Indexing-thread callbacks as Qt signals (delivered on the GUI thread)."""

    progress = Signal(object)
    started = Signal(object)
    finished = Signal(object)
    changed = Signal()
    error = Signal(str)

    def callbacks(self) -> IndexCallbacks:
        return IndexCallbacks(
            progress=self.progress.emit,
            started=self.started.emit,
            finished=self.finished.emit,
            changed=self.changed.emit,
            error=self.error.emit,
        )


class SearchField(QLineEdit):
    down_pressed = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        from PySide6.QtCore import Qt

        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class MainWindow(QMainWindow):
    ready = Signal()  # the model is loaded and searches run
    results_shown = Signal(object)  # SearchOutcome, after the model holds it
    folders_refreshed = Signal()
    skipped_loaded = Signal()

    def __init__(self, options: GuiOptions | None = None, settings: GuiSettings | None = None):
        super().__init__()
        self.options = options or GuiOptions()
        self.settings = settings or GuiSettings.load()
        self.session = Session(self.options.library)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self.jobs = Jobs(self.pool)
        self.indexing: IndexingService | None = None
        self.indexing_signals = IndexingSignals(self)
        self.model_info: ModelInfo | None = None
        self.loading_model = False
        self._serial = 0
        self._last_request: SearchRequest | None = None
        self._closed = False
        self._build()
        self._connect()
        self.setAcceptDrops(True)
        QTimer.singleShot(0, self._open_library)

    # -- layout -----------------------------------------------------------------------
    def _build(self) -> None:
        self.setWindowTitle("photosearch")
        self.resize(1280, 800)
        self.search = SearchField()
        self.search.setPlaceholderText(
            "Describe a photo, e.g. “a red circle on a striped background”"
        )
        self.search.setClearButtonEnabled(True)
        self.count_box = QSpinBox()
        self.count_box.setRange(1, 1000)
        self.count_box.setValue(self.settings.results)
        self.count_box.setPrefix("Show ")
        self.count_box.setToolTip("Number of results")
        self.settings_button = QPushButton("Settings…")
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.count_box)
        row.addWidget(self.settings_button)

        self.banner = Banner()
        self.header = QLabel()
        self.results_model = ResultsModel(self)
        self.results_view = ResultsView()
        self.results_view.setModel(self.results_model)
        self.placeholder = QLabel()
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("font-size: 15px; color: palette(mid); padding: 24px;")
        from PySide6.QtCore import Qt

        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.results_view)

        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(0, 0, 0, 0)
        center_layout.addLayout(row)
        center_layout.addWidget(self.banner)
        center_layout.addWidget(self.header)
        center_layout.addWidget(self.stack, 1)

        self.folders_panel = FoldersPanel()
        self.preview = PreviewPane()
        splitter = QSplitter()
        splitter.addWidget(self.folders_panel)
        splitter.addWidget(center)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 730, 320])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        outer = QWidget()
        outer_layout = QVBoxLayout(outer)
        outer_layout.setContentsMargins(8, 8, 8, 4)
        outer_layout.addWidget(splitter)
        self.setCentralWidget(outer)
        self.status = StatusArea(self.statusBar())
        self.skipped_dialog = SkippedDialog(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._set_placeholder("Opening the library…")

    def _connect(self) -> None:
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._search_now)
        self.search.down_pressed.connect(self._focus_grid)
        self._debounce.timeout.connect(self._search_now)
        self.count_box.editingFinished.connect(self._count_changed)
        self.settings_button.clicked.connect(self.open_settings)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_search)
        view = self.results_view
        view.open_requested.connect(self._open)
        view.similar_requested.connect(self.search_similar)
        view.reveal_requested.connect(self._reveal)
        view.copy_requested.connect(desktop.copy_text)
        view.selectionModel().currentChanged.connect(self._current_changed)
        panel = self.folders_panel
        panel.add_requested.connect(self.add_folder)
        panel.remove_requested.connect(self.remove_folder)
        panel.skipped_requested.connect(self.show_skipped)
        self.status.pause_toggled.connect(self._pause_toggled)
        sig = self.indexing_signals
        sig.progress.connect(self._indexing_progress)
        sig.started.connect(self._indexing_started)
        sig.finished.connect(self._indexing_finished)
        sig.changed.connect(self.refresh_folders)
        sig.error.connect(self.show_error)

    # -- start-up ---------------------------------------------------------------------
    def _open_library(self) -> None:
        self.jobs.start(
            self.session.open_library, on_result=self._library_opened, on_error=self._open_failed
        )

    def _open_failed(self, message: str) -> None:
        self.show_error(f"Cannot open the library: {message}")
        self._set_placeholder("The library could not be opened.")
        self.status.count.setText("no library")

    def _library_opened(self, notice: str | None) -> None:
        if notice:
            self.banner.show_message(notice, "info")
        self.folders_panel.set_writable(not self.session.read_only)
        self.refresh_folders()
        model = self.options.model or self.settings.model
        weights = self.options.weights if self.options.model else self.settings.weights
        self._load_model(model, weights, change=False)

    def _load_model(self, model: str | None, weights: str | None, *, change: bool) -> None:
        self.loading_model = True
        self.model_info = None
        self._set_placeholder(f"Loading the model ({model or 'library default'})…")
        self.status.count.setText("loading model…")
        service, self.indexing = self.indexing, None

        def load() -> ModelInfo:
            if service is not None:
                service.stop()
            return self.session.load_model(model, weights, change=change)

        self.jobs.start(load, on_result=self._model_loaded, on_error=self._model_failed)

    def _model_failed(self, message: str) -> None:
        self.loading_model = False
        self.show_error(f"Could not load the model: {message}")
        self._set_placeholder("No model is loaded. Pick one in Settings…")
        self.refresh_folders()

    def _model_loaded(self, info: ModelInfo) -> None:
        if self._closed:
            return
        self.loading_model = False
        self.model_info = info
        if info.note:
            self.banner.show_message(info.note, "info")
        if not self.session.read_only and self.session.library and self.session.encoder:
            self.indexing = make_indexing_service(
                self.session.library,
                self.session.encoder,
                self.indexing_signals.callbacks(),
                watch=self.options.watch,
                rescan_s=self.options.rescan_s,
                indexer_options=self.options.indexer_options,
            )
            if self.status.pause.isChecked():
                self.indexing.pause()
            self.indexing.start()  # its first job catches up with changes made while closed
        self.refresh_folders()
        self.ready.emit()
        if self.search.text().strip():
            self._search_now()
        else:
            self._idle_placeholder()

    # -- searching --------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _focus_grid(self) -> None:
        if self.results_model.rowCount():
            self.results_view.setFocus()
            if not self.results_view.currentIndex().isValid():
                self.results_view.setCurrentIndex(self.results_model.index(0))

    def search_text(self, text: str) -> None:
        """Type ``text`` and search at once (as Enter does)."""
        self.search.setText(text)
        self._search_now()

    def _search_now(self) -> None:
        self._debounce.stop()
        text = self.search.text().strip()
        if not text:
            self._serial += 1
            self.results_model.clear()
            self.header.clear()
            self._idle_placeholder()
            return
        self._run(SearchRequest(0, TEXT, text, self.count_box.value()))

    def search_similar(self, path: str) -> None:
        self._run(SearchRequest(0, IMAGE, path, self.count_box.value()))

    def _run(self, request: SearchRequest) -> None:
        self._debounce.stop()  # a typed query still waiting must not replace this one
        if self.model_info is None:
            if self.loading_model:
                self._set_placeholder("Loading the model… your search runs when it is ready.")
            return
        self._serial += 1
        request = SearchRequest(self._serial, request.kind, request.query, request.k)
        self._last_request = request
        self.jobs.start(
            run_search,
            self.session,
            request,
            on_result=self._show_results,
            on_error=self.show_error,
        )

    def _show_results(self, outcome: SearchOutcome) -> None:
        if outcome.request.serial != self._serial or self._closed:
            return  # a newer query is on its way
        self.results_model.set_results(outcome.items)
        request = outcome.request
        what = (
            f"photos like <b>{os.path.basename(request.query)}</b>"
            if request.kind == IMAGE
            else f"“{request.query}”"
        )
        n = len(outcome.items)
        self.header.setText(
            f"{n} result{'s' if n != 1 else ''} for {what} · {outcome.search_s * 1000:.0f} ms"
        )
        if outcome.items:
            self.stack.setCurrentWidget(self.results_view)
            self.results_view.scrollToTop()
            self.results_view.setCurrentIndex(self.results_model.index(0))
        else:
            self._idle_placeholder()
        self.results_shown.emit(outcome)

    def _count_changed(self) -> None:
        if self.count_box.value() != self.settings.results:
            self.settings.results = self.count_box.value()
            self.settings.save()
            if self._last_request is not None:
                self._run(self._last_request)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        path = current.data(PathRole) if current.isValid() else None
        if path is None:
            self.preview.clear()
            return
        score = current.data(ScoreRole)
        self.jobs.start(
            load_preview,
            path,
            on_result=lambda data: self._preview_loaded(data, score),
            on_error=self.show_error,
        )

    def _preview_loaded(self, data: PreviewData, score: float | None) -> None:
        if data.path == self.results_view.current_path():
            self.preview.show_image(data, score)

    # -- result actions ---------------------------------------------------------------
    def _open(self, path: str) -> None:
        if not desktop.open_file(path):
            self.show_error(f"No application could open {path}")

    def _reveal(self, path: str) -> None:
        if not desktop.reveal_file(path):
            self.show_error(f"Could not show {path} in its folder")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if self._dropped_image(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        path = self._dropped_image(event)
        if path is not None:
            event.acceptProposedAction()
            self.search_similar(path)

    @staticmethod
    def _dropped_image(event) -> str | None:
        for url in event.mimeData().urls():
            if url.isLocalFile() and has_image_suffix(url.toLocalFile()):
                return url.toLocalFile()
        return None

    # -- folders and indexing ---------------------------------------------------------
    def add_folder(self, path: str) -> None:
        if self.indexing is None:
            self.show_error(self._why_no_indexing())
            return
        if not os.path.isdir(path):
            self.show_error(f"Not a folder: {path}")
            return
        self.indexing.add_folder(path)

    def remove_folder(self, path: str) -> None:
        if self.indexing is None:
            self.show_error(self._why_no_indexing())
            return
        self.indexing.remove_folder(path)

    def _why_no_indexing(self) -> str:
        if self.session.read_only:
            return "The library is read-only while another photosearch process updates it."
        if self.loading_model:
            return "The model is still loading; try again in a moment."
        return "No model is loaded; pick one in Settings."

    def refresh_folders(self) -> None:
        if self.session.library is None:
            return
        busy = self.indexing.busy_folders if self.indexing else frozenset()

        def load():
            return (
                self.session.folders(busy),
                self.session.photo_count(),
                len(self.session.skipped()),
            )

        self.jobs.start(load, on_result=self._folders_loaded, on_error=self.show_error)

    def _folders_loaded(self, loaded) -> None:
        folders, count, skipped = loaded
        self.folders_panel.set_folders(folders)
        self.folders_panel.skipped_button.setText(f"Skipped files ({skipped})…")
        extra = []
        if self.session.read_only:
            extra.append("read-only")
        if self.model_info:
            extra.append(f"model {self.model_info.name}")
        self.status.set_count(count, " · ".join(extra))
        if self.model_info and not self.results_model.rowCount():
            self._idle_placeholder(count)
        self.folders_refreshed.emit()

    def _indexing_started(self, _folders) -> None:
        self.status.set_progress(Progress(0, 0, 0, 0.0))
        self.refresh_folders()

    def _indexing_progress(self, state: Progress) -> None:
        self.status.set_progress(state)

    def _indexing_finished(self, summary: IndexSummary) -> None:
        self.status.set_idle()
        self.status.note.setText(f"· last indexing: {summary.line()}")

    def _pause_toggled(self, paused: bool) -> None:
        if self.indexing is not None:
            (self.indexing.pause if paused else self.indexing.resume)()
        if paused:
            self.status.rate.setText("paused")

    def show_skipped(self) -> None:
        if self.session.library is None:
            return
        self.jobs.start(
            self.session.skipped, on_result=self._skipped_loaded, on_error=self.show_error
        )

    def _skipped_loaded(self, rows) -> None:
        self.skipped_dialog.set_rows(rows)
        self.skipped_dialog.show()
        self.skipped_dialog.raise_()
        self.skipped_loaded.emit()

    # -- settings ---------------------------------------------------------------------
    def open_settings(self) -> None:
        dialog = SettingsDialog(
            self.settings, self.model_info.name if self.model_info else None, self
        )
        dialog.finished.connect(functools.partial(self._settings_closed, dialog))
        dialog.open()

    def _settings_closed(self, dialog: SettingsDialog, code: int) -> None:
        dialog.deleteLater()
        if code != SettingsDialog.DialogCode.Accepted:
            return
        self.apply_settings(dialog.value())

    def apply_settings(self, new: GuiSettings) -> None:
        old, self.settings = self.settings, new
        new.save()
        self.count_box.setValue(new.results)
        model_changed = (new.model, new.weights) != (old.model, old.weights)
        if model_changed and new.model is not None and not self.loading_model:
            self._load_model(new.model, new.weights, change=True)
        elif new.results != old.results and self._last_request is not None:
            self._run(self._last_request)

    # -- messages ---------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _set_placeholder(self, text: str) -> None:
        self.placeholder.setText(text)
        self.stack.setCurrentWidget(self.placeholder)

    def _idle_placeholder(self, count: int | None = None) -> None:
        if self.search.text().strip() and self.results_model.rowCount() == 0:
            self._set_placeholder("No matching photos.")
        elif count == 0 or (count is None and not self.session.has_vectors):
            self._set_placeholder(
                "The library is empty. Click “Add folder…” on the left to index your photos."
            )
        else:
            self._set_placeholder(
                "Type what you remember, or drop a photo here to find similar ones."
            )

    # -- shutdown ---------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop indexing (finishing its checkpoint), wait for workers, close the library."""
        if self._closed:
            return
        self._closed = True
        self._debounce.stop()
        if self.indexing is not None:
            self.indexing.stop()
            self.indexing = None
        self.pool.waitForDone()
        self.session.close()

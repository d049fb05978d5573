"""The main window: builds the widgets and wires them to the controller.

Every decision lives in ``app.gui.controller.WindowController``; the slots here only
forward what the user did and show what the controller announces.
"""

from __future__ import annotations

import functools
import os

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
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

from app.gui.banner import Banner
from app.gui.controller import GuiOptions, WindowController
from app.gui.folders_controller import LibraryState
from app.gui.folders_panel import FoldersPanel
from app.gui.preview import PreviewData, PreviewPane
from app.gui.results_model import MatchRole, PathRole, ResultsModel, ScoreRole
from app.gui.results_view import ResultsView
from app.gui.search_jobs import IMAGE, SearchOutcome
from app.gui.settings import GuiSettings
from app.gui.settings_dialog import SettingsDialog
from app.gui.skipped_dialog import SkippedDialog
from app.gui.status import StatusArea
from index.scanner import has_image_suffix

__all__ = ["GuiOptions", "MainWindow"]


class SearchField(QLineEdit):
    down_pressed = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class MainWindow(QMainWindow):
    def __init__(self, options: GuiOptions | None = None, settings: GuiSettings | None = None):
        super().__init__()
        self.controller = WindowController(
            options or GuiOptions(), settings or GuiSettings.load(), self
        )
        self._build()
        self._connect()
        self.setAcceptDrops(True)
        QTimer.singleShot(0, self.controller.start)

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
        self.count_box.setValue(self.controller.settings.results)
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
        self.placeholder = QLabel(self.controller.placeholder)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("font-size: 15px; color: palette(mid); padding: 24px;")
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

    def _connect(self) -> None:
        c = self.controller
        self.search.textChanged.connect(c.type_query)
        self.search.returnPressed.connect(lambda: c.search_text(self.search.text()))
        self.search.down_pressed.connect(self._focus_grid)
        self.count_box.editingFinished.connect(lambda: c.set_result_count(self.count_box.value()))
        self.settings_button.clicked.connect(self.open_settings)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_search)
        view = self.results_view
        view.open_requested.connect(c.open_photo)
        view.similar_requested.connect(c.search_similar)
        view.reveal_requested.connect(c.reveal_photo)
        view.copy_requested.connect(c.copy_path)
        view.selectionModel().currentChanged.connect(self._current_changed)
        panel = self.folders_panel
        panel.add_requested.connect(c.folders.add_folder)
        panel.remove_requested.connect(c.folders.remove_folder)
        panel.skipped_requested.connect(c.folders.load_skipped)
        self.status.pause_toggled.connect(c.folders.set_paused)

        c.query_changed.connect(self._show_query)
        c.placeholder_changed.connect(self._show_placeholder)
        c.message.connect(self.banner.show_message)
        c.results_changed.connect(self._show_results)
        c.folders.library_changed.connect(self._show_library)
        c.library_failed.connect(lambda _why: self.status.set_text("no library"))
        c.model_changed.connect(self._show_model)
        c.writable_changed.connect(panel.set_writable)
        c.folders.skipped_loaded.connect(self._show_skipped)
        c.preview_loaded.connect(self._show_preview)
        c.result_count_changed.connect(self.count_box.setValue)
        signals = c.folders.signals
        signals.started.connect(lambda _folders: self.status.set_progress(None))
        signals.progress.connect(self.status.set_progress)
        signals.finished.connect(self.status.set_finished)
        signals.text_progress.connect(self.status.set_text_progress)

    # -- showing the controller's state -----------------------------------------------
    def _show_query(self, text: str) -> None:
        if self.search.text().strip() != text:
            self.search.blockSignals(True)  # not a new query: the user did not type it
            self.search.setText(text)
            self.search.blockSignals(False)

    def _show_placeholder(self, text: str) -> None:
        self.placeholder.setText(text)
        if not self.results_model.rowCount():
            self.stack.setCurrentWidget(self.placeholder)

    def _show_results(self, outcome: SearchOutcome | None) -> None:
        self.results_model.set_results(outcome.items if outcome else [])
        if outcome is None:
            self.header.clear()
            self.stack.setCurrentWidget(self.placeholder)
            return
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
            self.stack.setCurrentWidget(self.placeholder)

    def _show_model(self, _info) -> None:
        if self.controller.loading_model:
            self.status.set_text("loading model…")

    def _show_library(self, state: LibraryState) -> None:
        c = self.controller
        self.folders_panel.set_folders(state.folders)
        self.folders_panel.set_skipped_count(state.skipped)
        extra = []
        if c.session.read_only:
            extra.append("read-only")
        if c.model_info:
            extra.append(f"model {c.model_info.name}")
        self.status.set_count(state.photos, " · ".join(extra))

    def _show_skipped(self, rows) -> None:
        self.skipped_dialog.set_rows(rows)
        self.skipped_dialog.show()
        self.skipped_dialog.raise_()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        path = current.data(PathRole) if current.isValid() else None
        if path is None:
            self.preview.clear()
        else:
            self.controller.request_preview(
                path, current.data(ScoreRole), current.data(MatchRole) or ()
            )

    def _show_preview(self, data: PreviewData, score: float | None) -> None:
        if data.path == self.results_view.current_path():
            self.preview.show_image(data, score)

    # -- user requests ----------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _focus_grid(self) -> None:
        if self.results_model.rowCount():
            self.results_view.setFocus()
            if not self.results_view.currentIndex().isValid():
                self.results_view.setCurrentIndex(self.results_model.index(0))

    def open_settings(self) -> None:
        c = self.controller
        dialog = SettingsDialog(c.settings, c.model_info.name if c.model_info else None, self)
        dialog.finished.connect(functools.partial(self._settings_closed, dialog))
        dialog.open()

    def _settings_closed(self, dialog: SettingsDialog, code: int) -> None:
        dialog.deleteLater()
        if code == SettingsDialog.DialogCode.Accepted:
            self.controller.apply_settings(dialog.value())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if self._dropped_image(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        path = self._dropped_image(event)
        if path is not None:
            event.acceptProposedAction()
            self.controller.search_similar(path)

    @staticmethod
    def _dropped_image(event) -> str | None:
        for url in event.mimeData().urls():
            if url.isLocalFile() and has_image_suffix(url.toLocalFile()):
                return url.toLocalFile()
        return None

    # -- shutdown ---------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.controller.shutdown()
        super().closeEvent(event)

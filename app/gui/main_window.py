"""The main window: builds the widgets and wires them to the controller.

Every decision lives in ``app.gui.controller.WindowController``; the slots here only
forward what the user did and show what the controller announces.

(Over 300 lines: building and wiring the window's widgets in one place; each panel's
behaviour lives in its own module.)
"""

from __future__ import annotations

import functools
import os

from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSlider,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui import confirm
from app.gui.banner import Banner
from app.gui.browse_model import month_sections
from app.gui.controller import WindowController
from app.gui.duplicates_view import DuplicatesDialog
from app.gui.elided_label import ElidedLabel
from app.gui.filter_bar import FilterBar
from app.gui.folders_controller import LibraryState
from app.gui.folders_panel import FoldersPanel
from app.gui.options import GuiOptions
from app.gui.preview import PreviewData, PreviewPane
from app.gui.preview_fold import PreviewFold
from app.gui.results_model import MatchRole, PathRole, ResultsModel, ScoreRole
from app.gui.results_view import MAX_THUMB, MIN_THUMB, ResultsView
from app.gui.search_field import SearchField, local_paths
from app.gui.search_jobs import SearchOutcome
from app.gui.settings import GuiSettings, load_window_state, save_window_state
from app.gui.settings_dialog import SettingsDialog
from app.gui.skipped_dialog import SkippedDialog
from app.gui.status import StatusArea
from app.gui.translator import counted
from app.gui.viewer import PhotoViewer, ViewerMode
from app.photos import DATE
from index.timeline import months_of

__all__ = ["GuiOptions", "MainWindow"]

TOAST_MS = 4000
MINIMUM_SIZE = QSize(820, 520)  # room for the search field, the grid and the status line


class MainWindow(QMainWindow):
    def __init__(self, options: GuiOptions | None = None, settings: GuiSettings | None = None):
        super().__init__()
        self.controller = WindowController(
            options or GuiOptions(), settings or GuiSettings.load(), self
        )
        self._browse_scroll = 0  # where the browsed grid was when a search replaced it
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
            self.tr("Describe a photo, e.g. “a red circle on a striped background”")
        )
        self.search.setClearButtonEnabled(True)
        self.count_box = QSpinBox()
        self.count_box.setRange(1, 1000)
        self.count_box.setValue(self.controller.settings.results)
        self.count_box.setPrefix(self.tr("Show "))
        self.count_box.setToolTip(self.tr("Number of results"))
        self.settings_button = QPushButton(self.tr("Settings…"))
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.count_box)
        row.addWidget(self.settings_button)

        self.filter_bar = FilterBar(self.controller.filters)
        self.banner = Banner()
        self.header = ElidedLabel()
        self.thumb_slider = QSlider(Qt.Orientation.Horizontal)
        self.thumb_slider.setRange(MIN_THUMB, MAX_THUMB)
        self.thumb_slider.setSingleStep(16)
        self.thumb_slider.setPageStep(32)
        self.thumb_slider.setValue(self.controller.settings.thumb)
        self.thumb_slider.setFixedWidth(110)
        self.thumb_slider.setToolTip(self.tr("Thumbnail size"))
        header_row = QHBoxLayout()
        header_row.addWidget(self.header, 1)
        header_row.addWidget(self.thumb_slider)
        self.results_model = ResultsModel(self)
        self.results_view = ResultsView(thumb=self.controller.settings.thumb)
        self.results_view.setModel(self.results_model)
        self.placeholder = QLabel(self.controller.placeholder)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("font-size: 15px; color: palette(mid); padding: 24px;")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.results_view)
        self.viewer = PhotoViewer()
        self.stack.addWidget(self.viewer)
        self.viewing = ViewerMode(self.stack, self.results_view, self.viewer)

        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(0, 0, 0, 0)
        center_layout.addLayout(row)
        center_layout.addWidget(self.filter_bar)
        center_layout.addWidget(self.banner)
        center_layout.addLayout(header_row)
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
        splitter.setCollapsible(2, True)  # the preview may be dragged shut
        self.splitter = splitter
        self.preview_fold = PreviewFold(splitter, 2)
        outer = QWidget()
        outer_layout = QVBoxLayout(outer)
        outer_layout.setContentsMargins(8, 8, 8, 4)
        outer_layout.addWidget(splitter)
        self.setCentralWidget(outer)
        self.status = StatusArea(self.statusBar())
        self.skipped_dialog = SkippedDialog(self)
        self.setMinimumSize(MINIMUM_SIZE)
        size, maximized, panes = load_window_state()
        if size:
            self.resize(*size)
        if maximized:
            self.setWindowState(Qt.WindowState.WindowMaximized)
        if panes:
            splitter.restoreState(panes)

    def _connect(self) -> None:
        c = self.controller
        search = c.search
        self.search.textChanged.connect(search.type_query)
        self.search.textChanged.connect(c.activity.touch)
        self.results_view.verticalScrollBar().valueChanged.connect(c.activity.touch)
        self.search.returnPressed.connect(lambda: search.search_text(self.search.text()))
        self.search.down_pressed.connect(self._focus_grid)
        self.search.escape_pressed.connect(lambda: search.search_text(""))
        self.count_box.valueChanged.connect(search.set_result_count)
        self.settings_button.clicked.connect(self.open_settings)
        self.folders_panel.duplicates_requested.connect(self.open_duplicates)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_search)
        view = self.results_view
        view.open_requested.connect(c.open_photo)
        view.view_requested.connect(self.viewing.open)
        self.viewing.load_requested.connect(search.load_full)
        view.similar_to_selection.connect(search.search_similar_to)
        view.reveal_requested.connect(c.reveal_photo)
        view.copy_requested.connect(c.copy_paths)
        view.trash_requested.connect(self.confirm_trash)
        view.export_requested.connect(self.choose_export_folder)
        view.escape_pressed.connect(self._grid_escape)
        view.selectionModel().currentChanged.connect(self._current_changed)
        self.thumb_slider.valueChanged.connect(self._thumb_size)
        c.browse.changed.connect(self._show_browse)
        self.folders_panel.folder_chosen.connect(
            lambda path: c.filters.set_value("folder", path or "")
        )
        self.filter_bar.folder_cleared.connect(self.folders_panel.list.clearSelection)
        panel = self.folders_panel
        panel.add_requested.connect(c.folders.add_folder)
        panel.remove_requested.connect(c.remove_folder)
        panel.exclusions_dialog.change_requested.connect(c.folders.change_exclusions)
        c.folders.exclusions_refused.connect(panel.exclusions_dialog.show_error)
        panel.skipped_requested.connect(c.folders.load_skipped)
        self.status.pause_toggled.connect(c.folders.set_paused)

        search.query_changed.connect(self.search.show_query)
        search.results_changed.connect(self._show_results)
        search.preview_loaded.connect(self._show_preview)
        search.full_loaded.connect(self.viewing.loaded)
        search.result_count_changed.connect(self.count_box.setValue)
        c.placeholder_changed.connect(self._show_placeholder)
        c.message.connect(self.banner.show_message)
        c.message_cleared.connect(self.banner.hide)
        c.toast.connect(lambda text: self.statusBar().showMessage(text, TOAST_MS))
        c.folders.library_changed.connect(self._show_library)
        c.library_failed.connect(lambda _why: self.status.set_text(self.tr("no library")))
        c.model_changed.connect(self._show_model)
        c.writable_changed.connect(panel.set_writable)
        c.folders.skipped_loaded.connect(self.skipped_dialog.show_rows)
        signals = c.folders.signals
        signals.started.connect(lambda _folders: self.status.set_progress(None))
        signals.progress.connect(self.status.set_progress)
        signals.finished.connect(self.status.set_finished)
        signals.text_progress.connect(self.status.set_text_progress)

    # -- showing the controller's state -----------------------------------------------
    def _show_placeholder(self, text: str) -> None:
        self.placeholder.setText(text)
        if not self.results_view.model().rowCount():
            self.stack.setCurrentWidget(self.placeholder)

    def _use_model(self, model) -> None:
        """Show ``model`` in the grid (the search results or the browsed library)."""
        view = self.results_view
        if view.model() is model:
            return
        if model is self.results_model:
            self._browse_scroll = view.verticalScrollBar().value()
        view.setModel(model)
        view.selectionModel().currentChanged.connect(self._current_changed)
        self.preview.clear()  # nothing is current in the new grid: no photo of the old one
        if model is not self.results_model:
            view.verticalScrollBar().setValue(self._browse_scroll)

    def _show_browse(self) -> None:
        """No search on show: the library (or the chosen folder), newest first."""
        if self.controller.search.outcome is not None:
            return
        browse = self.controller.browse
        self._use_model(browse.model)
        count = browse.count
        if browse.folder:
            text = counted(
                count,
                self.tr("{count} photo in {folder}, newest first"),
                self.tr("{count} photos in {folder}, newest first"),
                folder=os.path.basename(browse.folder.rstrip(os.sep)),
            )
        else:
            text = counted(
                count,
                self.tr("{count} photo, newest first"),
                self.tr("{count} photos, newest first"),
            )
        filtered = not browse.filter.is_empty()
        if filtered and not count:
            text = self.tr("No photos pass the filters")
        self.header.set_full_text(text if count or filtered else "")
        self.stack.setCurrentWidget(self.results_view if count or filtered else self.placeholder)

    def _thumb_size(self, side: int) -> None:
        self.results_view.set_thumb_size(side)
        self.controller.set_thumb_size(side)

    def _show_results(self, outcome: SearchOutcome | None) -> None:
        items = outcome.items if outcome else []
        by_date = outcome is not None and outcome.request.sort == DATE
        sections = month_sections(months_of([i.taken for i in items])) if by_date else None
        self.results_model.set_results(items, sections)
        if outcome is None:
            self._show_browse()
            return
        self._use_model(self.results_model)
        self.header.set_full_text(outcome.summary())
        if outcome.items:
            self.stack.setCurrentWidget(self.results_view)
            self.results_view.scrollToTop()
            self.results_view.setCurrentIndex(self.results_model.index(0))
        else:
            self.stack.setCurrentWidget(self.placeholder)

    def _show_model(self, _info) -> None:
        if self.controller.loading_model:
            self.status.set_text(self.tr("loading model…"))

    def _show_library(self, state: LibraryState) -> None:
        c = self.controller
        self.folders_panel.set_folders(state.folders)
        self.filter_bar.set_folders([f.path for f in state.folders])
        self.folders_panel.set_skipped_count(state.skipped)
        extra = []
        if c.session.read_only:
            extra.append(self.tr("read-only"))
        if c.model_info:
            extra.append(self.tr("model {name}").format(name=c.model_info.name))
        self.status.set_count(state.photos, " · ".join(extra))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        path = current.data(PathRole) if current.isValid() else None
        if path is None:
            self.preview.clear()
        else:
            self.controller.search.request_preview(
                path, current.data(ScoreRole), current.data(MatchRole) or ()
            )

    def _show_preview(self, data: PreviewData, score: float | None) -> None:
        if data.path == self.results_view.current_path():
            self.preview.show_image(data, score)

    # -- user requests ----------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _grid_escape(self) -> None:
        self.results_view.clearSelection()
        self.focus_search()

    def choose_export_folder(self, paths: list[str]) -> None:
        title = counted(
            len(paths), self.tr("Copy {count} photo to"), self.tr("Copy {count} photos to")
        )
        folder = QFileDialog.getExistingDirectory(self, title)
        if folder:
            self.controller.export(paths, folder)

    def confirm_trash(self, paths: list[str]) -> None:
        if confirm.trash_photos(self, paths):
            self.controller.trash(paths)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        QTimer.singleShot(0, self, lambda: self.preview_fold.fit(self.width()))  # once laid out

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        QTimer.singleShot(0, self.search.setFocus)  # type at once, as in every photo app

    def _focus_grid(self) -> None:
        model = self.results_view.model()
        if model.rowCount():
            self.results_view.setFocus()
            if not self.results_view.currentIndex().isValid():
                self.results_view.setCurrentIndex(model.index(0, 0))

    def open_duplicates(self) -> DuplicatesDialog:
        dialog = DuplicatesDialog(self.controller.duplicates, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.controller.duplicates.find()
        return dialog

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
        if local_paths(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        paths = local_paths(event)
        if paths:
            event.acceptProposedAction()
            self.controller.drop(paths)

    # -- shutdown ---------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        size = self.normalGeometry().size() if self.isMaximized() else self.size()
        panes = self.splitter.saveState().data()
        save_window_state(size.width(), size.height(), self.isMaximized(), panes)
        self.controller.shutdown()
        super().closeEvent(event)

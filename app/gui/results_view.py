"""The thumbnail grid: aspect-correct thumbnails, file name and score, a context menu."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QImage, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import QMenu, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.gui.kept_place import selected_rows
from app.gui.photo_grid import PhotoGrid
from app.gui.results_model import THUMB_BOX, GoodRole, PathRole, ScoreRole
from app.gui.translator import number

PAD = 8
MIN_THUMB, MAX_THUMB = 96, 320  # the thumbnail size control's range (px)
WEAK_OPACITY = 0.45  # results that are not good matches
BOUNDARY = QColor(230, 120, 20)  # the bar before the first result that is not a good match


class ThumbnailDelegate(QStyledItemDelegate):
    def __init__(self, grid: PhotoGrid) -> None:
        super().__init__(grid)
        self.grid = grid

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 (Qt API)
        return self.grid.cell

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        painter.save()
        rect = option.rect.adjusted(3, 3, -3, -3)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if index.data(GoodRole) is False:
            self._paint_weak(painter, option, index)
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))

        thumb = self.grid.thumb
        box = QRect(rect.x() + (rect.width() - thumb) // 2, rect.y() + PAD // 2, thumb, thumb)
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)
        target = box
        if pixmap is not None and not pixmap.isNull():
            scaled = pixmap.size().scaled(box.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, scaled.width(), scaled.height())
            target.moveCenter(box.center())
            if scaled != pixmap.size():
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            if isinstance(pixmap, QImage):  # the browsed library's thumbnails
                painter.drawImage(target, pixmap)
            else:
                painter.drawPixmap(target, pixmap)
        else:
            painter.fillRect(box, QColor(128, 128, 128, 60))

        score = index.data(ScoreRole)
        if score is not None:
            badge_font = QFont(option.font)
            badge_font.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.85))
            badge_font.setBold(True)
            painter.setFont(badge_font)
            text = f"{score:.2f}"
            width = painter.fontMetrics().horizontalAdvance(text) + 10
            height = painter.fontMetrics().height() + 2
            badge = QRect(target.right() - width - 3, target.bottom() - height - 3, width, height)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(0, 0, 0, 170))
            painter.drawRoundedRect(badge, 4, 4)
            painter.setPen(QColor("white"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)

        painter.setFont(option.font)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(role))
        name_rect = QRect(
            rect.x() + 4, box.bottom() + 4, rect.width() - 8, rect.bottom() - box.bottom() - 4
        )
        name = painter.fontMetrics().elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
            Qt.TextElideMode.ElideMiddle,
            name_rect.width(),
        )
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, name)
        painter.restore()

    @staticmethod
    def _paint_weak(
        painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Past the end of the good matches: dimmed; the first one carries the boundary."""
        previous = index.sibling(index.row() - 1, 0)
        if previous.isValid() and previous.data(GoodRole):
            rect = option.rect
            painter.fillRect(QRect(rect.x(), rect.y() + 4, 4, rect.height() - 8), BOUNDARY)
        painter.setOpacity(WEAK_OPACITY)


class ResultsView(PhotoGrid):
    """Emits what the user asked for; the window decides what to do with it. Several
    photos can be selected (Ctrl/Shift-click, Ctrl+A); copy and trash act on them all,
    in the browsed library also on rows whose page is not loaded (a select-all)."""

    open_requested = Signal(str)  # in the system's viewer
    view_requested = Signal(int)  # row, in the window's full-size viewer
    similar_to_selection = Signal(list)  # paths: photos like all of them
    reveal_requested = Signal(str)
    copy_requested = Signal(list)  # paths
    trash_requested = Signal(list)  # paths
    export_requested = Signal(list)  # paths
    escape_pressed = Signal()
    painted = Signal()  # after each paint of the grid (the benchmark times results to pixels)

    def __init__(self, parent=None, thumb: int = THUMB_BOX) -> None:
        super().__init__(parent, thumb)
        self.setMinimumWidth(2 * (THUMB_BOX + 16) + 24)  # two columns (and a scroll bar)
        self.delegate = ThumbnailDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.doubleClicked.connect(lambda index: self.view_requested.emit(index.row()))

    def current_path(self) -> str | None:
        index = self.currentIndex()
        return index.data(PathRole) if index.isValid() else None

    def selected_rows(self):
        return selected_rows(self.selectionModel())

    def selected_paths(self) -> list[str]:
        """The selected photos' paths that are known now (a browsed page may still load:
        ``act_on_selection`` waits for every path)."""
        paths = (self.model().index(int(row), 0).data(PathRole) for row in self.selected_rows())
        return [path for path in paths if path is not None]

    def act_on_selection(self, signal) -> None:
        """Emit ``signal`` with the paths of every selected photo, once they are known."""
        rows = self.selected_rows()
        model = self.model()
        if not len(rows):
            return
        if hasattr(model, "paths_of_rows"):  # the browsed library: a worker reads them
            model.paths_of_rows(rows, lambda paths: paths and signal.emit(paths))
        else:
            signal.emit(self.selected_paths())

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().paintEvent(event)
        self.painted.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current_path():
            self.open_requested.emit(self.current_path())
        elif key == Qt.Key.Key_Space and self.currentIndex().isValid():
            self.view_requested.emit(self.currentIndex().row())
        elif key == Qt.Key.Key_Delete and len(self.selected_rows()):
            self.act_on_selection(self.trash_requested)
        elif key == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
        else:
            super().keyPressEvent(event)

    def _context_menu(self, pos) -> None:
        menu = self.context_menu(self.indexAt(pos))
        if menu is not None:
            menu.exec(self.viewport().mapToGlobal(pos))

    def context_menu(self, index: QModelIndex) -> QMenu | None:
        """The menu for a right-click on ``index``: its actions act on the selection."""
        if not index.isValid():
            return None
        if not self.selectionModel().isSelected(index):
            self.setCurrentIndex(index)  # a click outside the selection starts a new one
        path = index.data(PathRole)
        count = len(self.selected_rows())
        many = " " + self.tr("({count} photos)").format(count=number(count)) if count > 1 else ""
        copy = self.tr("Copy paths") if count > 1 else self.tr("Copy path")
        menu = QMenu(self)
        for text, emit in (
            (self.tr("Open"), lambda: self.open_requested.emit(path)),
            (
                self.tr("Find similar") + many,
                lambda: self.act_on_selection(self.similar_to_selection),
            ),
            (self.tr("Show in folder"), lambda: self.reveal_requested.emit(path)),
            (copy + many, lambda: self.act_on_selection(self.copy_requested)),
            (
                self.tr("Copy to folder…") + many,
                lambda: self.act_on_selection(self.export_requested),
            ),
            (self.tr("Move to trash…") + many, lambda: self.act_on_selection(self.trash_requested)),
        ):
            action = QAction(text, menu)
            action.triggered.connect(lambda _=False, emit=emit: emit())
            menu.addAction(action)
        return menu

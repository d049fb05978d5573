"""The full-size viewer: one photo in the window, fitted or at 100 %, stepped with arrows.

The window opens it in place of the grid (Space or double-click) and asks for the decode
off the GUI thread; Escape hands back to the grid at the same photo.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.elided_label import ElidedLabel
from app.gui.preview import PreviewData, human_size
from app.gui.results_model import PathRole
from app.gui.translator import number

FULL_SIDE = 4096  # decode at most this many pixels on the long side (100 % for most photos)


class PhotoViewer(QWidget):
    step_requested = Signal(int)  # -1 previous, +1 next
    closed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.scroll = QScrollArea()
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll.setWidget(self.image)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.caption = ElidedLabel(mode=Qt.TextElideMode.ElideMiddle)
        self.details = ElidedLabel(
            mode=Qt.TextElideMode.ElideRight
        )  # date, place, camera, exposure, size
        hint = QLabel(self.tr("← → previous / next · Z fit or 100 % · Esc back to the results"))
        hint.setStyleSheet("color: palette(mid);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.caption)
        layout.addWidget(self.details)
        layout.addWidget(hint)
        self.path: str | None = None
        self.actual_size = False  # False: fit to the window
        self._pixmap: QPixmap | None = None

    def show_loading(self, path: str, position: str) -> None:
        self.path = path
        self._pixmap = None
        self.image.setText(self.tr("Loading…"))
        self.caption.set_full_text(f"{os.path.basename(path)} · {position}")
        self.details.set_full_text("")

    def show_photo(self, data: PreviewData, position: str) -> None:
        if data.path != self.path:
            return  # the user has stepped on
        self._pixmap = QPixmap.fromImage(data.image) if not data.image.isNull() else None
        size = f"{data.width}×{data.height}" if data.width > 0 else ""
        self.caption.set_full_text(
            " · ".join(p for p in (os.path.basename(data.path), size, position) if p)
        )
        self.details.set_full_text(
            " · ".join(p for p in (data.details, human_size(data.size_bytes)) if p)
        )
        if self._pixmap is None:
            self.image.setText(self.tr("Cannot show this photo"))
        self._show()

    def toggle_zoom(self) -> None:
        self.actual_size = not self.actual_size
        self._show()

    def _show(self) -> None:
        if self._pixmap is None:
            return
        self.scroll.setWidgetResizable(not self.actual_size)
        if self.actual_size:
            self.image.setPixmap(self._pixmap)
            self.image.resize(self._pixmap.size())
            return
        room = self.scroll.viewport().size()
        self.image.setPixmap(
            self._pixmap.scaled(
                room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        )

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if not self.actual_size:
            self._show()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_PageDown):
            self.step_requested.emit(1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp):
            self.step_requested.emit(-1)
        elif key == Qt.Key.Key_Z:
            self.toggle_zoom()
        elif key in (Qt.Key.Key_Escape, Qt.Key.Key_Space):
            self.closed.emit()
        else:
            super().keyPressEvent(event)


class ViewerMode(QObject):
    """Switches the window's centre between the grid and the viewer, keeping the grid's
    current photo the one on show (so the preview follows and Escape returns to it)."""

    load_requested = Signal(str)  # path to decode at full size

    def __init__(self, stack: QStackedWidget, grid: QAbstractItemView, viewer: PhotoViewer) -> None:
        super().__init__(viewer)
        self.stack, self.grid, self.viewer = stack, grid, viewer
        viewer.step_requested.connect(lambda step: self.show(grid.currentIndex().row() + step))
        viewer.closed.connect(self.close)

    def open(self, row: int) -> None:
        self.stack.setCurrentWidget(self.viewer)
        self.viewer.setFocus()
        self.show(row)

    def show(self, row: int) -> None:
        model = self.grid.model()
        if not 0 <= row < model.rowCount():
            return
        index = model.index(row, 0)
        self.grid.setCurrentIndex(index)
        self.viewer.show_loading(index.data(PathRole), self._position())
        self.load_requested.emit(index.data(PathRole))

    def loaded(self, data: PreviewData) -> None:
        self.viewer.show_photo(data, self._position())

    def close(self) -> None:
        self.stack.setCurrentWidget(self.grid)
        self.grid.scrollTo(self.grid.currentIndex())
        self.grid.setFocus()

    def _position(self) -> str:
        return self.tr("{number} of {count}").format(
            number=number(self.grid.currentIndex().row() + 1),
            count=number(self.grid.model().rowCount()),
        )

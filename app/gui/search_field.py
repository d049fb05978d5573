"""The search field (Down goes to the results, Escape clears) and what a drop carries."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit


class SearchField(QLineEdit):
    down_pressed = Signal()
    escape_pressed = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
        elif event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
        else:
            super().keyPressEvent(event)


def local_paths(event) -> list[str]:
    """The local files and folders a drag or drop carries."""
    return [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]

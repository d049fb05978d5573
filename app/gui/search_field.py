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

    def show_query(self, text: str) -> None:
        """Show a query the user did not type (no textChanged: it is not a new search)."""
        if self.text().strip() != text:
            self.blockSignals(True)
            self.setText(text)
            self.blockSignals(False)


def local_paths(event) -> list[str]:
    """The local files and folders a drag or drop carries."""
    return [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]

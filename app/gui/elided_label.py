"""A one-line label that elides its text to the room it has, so content never widens the
window; the whole text is in its tooltip. Eliding at the end keeps the words it shows
whole (it cuts at a space where the text has one)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent=None, mode=Qt.TextElideMode.ElideRight) -> None:
        super().__init__(parent)
        self._full = ""
        self._mode = mode
        self.setTextFormat(Qt.TextFormat.PlainText)
        # Preferred: it asks for its whole text, and takes less (down to nothing) without
        # ever making the window wider.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text if text else "")
        self._elide()

    def full_text(self) -> str:
        return self._full

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(0, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._full) + margins.left() + margins.right()
        return QSize(width + 2, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(0, self.contentsRect().width())
        shown = self.fontMetrics().elidedText(self._full, self._mode, width)
        if self._mode == Qt.TextElideMode.ElideRight and shown != self._full:
            shown = _at_a_space(shown, self._full)
        self.setText(shown)


def _at_a_space(shown: str, full: str) -> str:
    """``shown`` (``full`` cut at the end, then "…") cut back to its last whole word."""
    kept = shown[:-1]
    if not shown.endswith(ELLIPSIS) or not kept or not full.startswith(kept):
        return shown
    if kept[-1].isspace() or full[len(kept)].isspace():
        return kept.rstrip() + ELLIPSIS
    space = kept.rfind(" ")
    return kept[:space].rstrip() + ELLIPSIS if space > 0 else shown


ELLIPSIS = "…"

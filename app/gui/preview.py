"""A larger preview of the selected photo (decoded off the GUI thread)."""

from __future__ import annotations

import os

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

PREVIEW_SIDE = 1024


def load_preview(path: str, max_side: int = PREVIEW_SIDE) -> tuple[str, QImage]:
    """Decode ``path`` at most ``max_side`` pixels on its long side (worker thread)."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)  # EXIF orientation
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > max_side:
        reader.setScaledSize(
            size.scaled(QSize(max_side, max_side), Qt.AspectRatioMode.KeepAspectRatio)
        )
    image = reader.read()
    if image.isNull():
        from PIL import Image  # formats Qt cannot read (HEIC) go through Pillow

        from engine.images import load_image

        pil = load_image(path, max_side)
        pil.thumbnail((max_side, max_side), Image.Resampling.BILINEAR)
        image = QImage(
            pil.tobytes(), pil.width, pil.height, 3 * pil.width, QImage.Format.Format_RGB888
        ).copy()
    return path, image


class PreviewPane(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.image_label = QLabel("Select a photo to preview it")
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.image_label.setMinimumSize(200, 200)
        self.image_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.image_label, 1)
        self._pixmap: QPixmap | None = None
        self.path: str | None = None

    def show_image(self, path: str, image: QImage, score: float | None = None) -> None:
        self.path = path
        self._pixmap = QPixmap.fromImage(image) if not image.isNull() else None
        if self._pixmap is None:
            self.image_label.setText("Cannot show this photo")
        size = f"{image.width()}×{image.height()} preview · " if not image.isNull() else ""
        score_text = f"score {score:.3f} · " if score is not None else ""
        self.caption.setText(
            f"<b>{os.path.basename(path)}</b><br><small>{score_text}{size}"
            f"{os.path.dirname(path)}</small>"
        )
        self._rescale()

    def clear(self) -> None:
        self.path = None
        self._pixmap = None
        self.image_label.setPixmap(QPixmap())
        self.image_label.setText("Select a photo to preview it")
        self.caption.clear()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._pixmap is None:
            return
        self.image_label.setPixmap(
            self._pixmap.scaled(
                self.image_label.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

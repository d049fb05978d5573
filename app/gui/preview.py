"""A larger preview of the selected photo (decoded off the GUI thread), with the text
read from it; where a search matched that text, its boxes are outlined on the photo."""

from __future__ import annotations

import html
import os
import time
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QPointF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QImageIOHandler,
    QImageReader,
    QPainter,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.gui.exif_summary import details_line, exposure_summary
from index.photo_meta import PhotoMeta

PREVIEW_SIDE = 1024


@dataclass(frozen=True)
class PreviewData:
    path: str
    image: QImage
    width: int  # of the photo itself, not the preview
    height: int
    size_bytes: int
    mtime: float
    lines: tuple = ()  # index.text_index.StoredLine: the text read from the photo
    matched: tuple = ()  # boxes (fractions of the photo) of the text the query matched
    details: str = ""  # app.gui.exif_summary: date, place, camera, lens, exposure


def load_preview(
    path: str, max_side: int = PREVIEW_SIDE, meta: PhotoMeta | None = None
) -> PreviewData:
    """Decode ``path`` at most ``max_side`` pixels on its long side (worker thread)."""
    st = os.stat(path)
    reader = QImageReader(path)
    reader.setAutoTransform(True)  # EXIF orientation
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > max_side:
        box = QSize(max_side, max_side)
        reader.setScaledSize(size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        from PIL import Image  # formats Qt cannot read (HEIC) go through Pillow

        from engine.images import load_image

        pil = load_image(path, max_side)
        size = QSize(*pil.size)
        pil.thumbnail((max_side, max_side), Image.Resampling.BILINEAR)
        image = QImage(
            pil.tobytes(), pil.width, pil.height, 3 * pil.width, QImage.Format.Format_RGB888
        ).copy()
    if reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90:
        size = size.transposed()
    return PreviewData(
        path,
        image,
        size.width(),
        size.height(),
        st.st_size,
        st.st_mtime,
        details=details_line(meta, exposure_summary(path)),
    )


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"


class PreviewPane(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.image_label = QLabel()
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.caption = QLabel(self.tr("Select a photo to preview it."))
        self.caption.setWordWrap(True)
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.caption.setMinimumWidth(1)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text_label = QLabel()  # the text read from the photo
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.highlighted = 0  # matched text boxes outlined on the photo
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.image_label)
        layout.addWidget(self.caption)
        layout.addWidget(self.text_label)
        layout.addStretch(1)
        self.setMinimumWidth(200)
        self._pixmap: QPixmap | None = None
        self.path: str | None = None

    def show_image(self, data: PreviewData, score: float | None = None) -> None:
        self.path = data.path
        self._pixmap = QPixmap.fromImage(data.image) if not data.image.isNull() else None
        self.highlighted = 0
        if self._pixmap is not None and data.matched:
            self.highlighted = _outline(self._pixmap, data.matched)
        self.text_label.setText(_text_html(data.lines, data.matched))
        folder = os.path.dirname(data.path)
        details = [self.tr("score {score:.3f}").format(score=score)] if score is not None else []
        if data.width > 0:
            details.append(f"{data.width}×{data.height}")
        details.append(human_size(data.size_bytes))
        if not data.details:  # (the details carry the date taken)
            details.append(time.strftime("%Y-%m-%d", time.localtime(data.mtime)))
        where = self.tr("in {folder}").format(folder=os.path.basename(folder) or folder)
        self.caption.setText(
            f"<b>{html.escape(os.path.basename(data.path))}</b><br>{' · '.join(details)}"
            + (f"<br>{html.escape(data.details)}" if data.details else "")
            + f"<br><small>{html.escape(where)}</small>"
        )
        self.caption.setToolTip(data.path)
        if self._pixmap is None:
            self.image_label.setText(self.tr("Cannot show this photo"))
        self._rescale()

    def clear(self) -> None:
        self.path = None
        self._pixmap = None
        self.image_label.clear()
        self.image_label.setFixedHeight(0)
        self.caption.setText(self.tr("Select a photo to preview it."))
        self.caption.setToolTip("")
        self.text_label.clear()
        self.highlighted = 0

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._pixmap is None:
            return
        room = QSize(self.width(), max(50, self.height() - self.caption.sizeHint().height() - 12))
        scaled = self._pixmap.scaled(
            room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self.image_label.setPixmap(scaled)
        self.image_label.setFixedHeight(scaled.height())


def _outline(pixmap: QPixmap, boxes: tuple) -> int:
    """Draw each box (four corners as fractions of the photo) on ``pixmap``."""
    w, h = pixmap.width(), pixmap.height()
    painter = QPainter(pixmap)
    painter.setPen(QPen(QColor(255, 200, 0), max(2, w // 300)))
    for box in boxes:
        corners = [QPointF(box[i] * w, box[i + 1] * h) for i in range(0, 8, 2)]
        painter.drawPolygon(QPolygonF(corners))
    painter.end()
    return len(boxes)


def _text_html(lines: tuple, matched: tuple) -> str:
    if not lines:
        return ""
    shown = [
        f"<b>{html.escape(line.text)}</b>" if line.box in matched else html.escape(line.text)
        for line in lines
    ]
    heading = QCoreApplication.translate("PreviewPane", "Text in the photo:")
    return f"<small>{heading}</small><br>" + "<br>".join(shown)

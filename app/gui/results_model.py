"""Search results as a Qt list model: file name, score, path and a thumbnail per row."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QImage, QPixmap

from index.thumbnails import thumbnail_path

PathRole = Qt.ItemDataRole.UserRole + 1
ScoreRole = Qt.ItemDataRole.UserRole + 2
MatchRole = Qt.ItemDataRole.UserRole + 3  # the boxes of the matched text, or ()
GoodRole = Qt.ItemDataRole.UserRole + 4  # before the point where good matches end
DateRole = Qt.ItemDataRole.UserRole + 5  # date taken, YYYYMMDDHHMMSS (0: unknown)
THUMB_BOX = 160  # side of the square a grid thumbnail is drawn in (device-independent px)


@dataclass(frozen=True)
class ResultItem:
    path: str
    score: float
    photo_id: int
    image: QImage  # made off the GUI thread; turned into a pixmap on first paint
    text: str | None = None  # the text in the photo that matched the query
    boxes: tuple = ()  # where that text is (index.text_index.TextMatch.boxes)
    good: bool = True  # a good match (index.cutoff); the grid shows where good ones end
    taken: int = 0  # date taken, YYYYMMDDHHMMSS (0: unknown)

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


def load_thumbnail(thumbs_dir: Path, photo_id: int, path: str, box: int = THUMB_BOX) -> QImage:
    """The pipeline's cached thumbnail (or a decode of the photo itself), already scaled to
    the grid's box so painting is a plain copy (worker thread)."""
    image = QImage(str(thumbnail_path(thumbs_dir, photo_id)))
    if image.isNull():
        image = QImage(path)
    if image.isNull():
        return image
    return image.scaled(
        box,
        box,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    ).convertToFormat(QImage.Format.Format_RGB32)


class ResultsModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[ResultItem] = []
        self._pixmaps: dict[int, QPixmap] = {}
        self.sections: list = []  # photo_grid.Section list: month headers (date order)

    def set_results(self, items: list[ResultItem], sections: list | None = None) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._pixmaps.clear()
        self.sections = list(sections or [])
        self.endResetModel()

    def clear(self) -> None:
        self.set_results([])

    def item(self, row: int) -> ResultItem:
        return self._items[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0):
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.name
        if role == Qt.ItemDataRole.ToolTipRole:
            why = f"\nmatched text: {item.text}" if item.text else ""
            weak = "" if item.good else "\nnot a good match (closest photo)"
            return f"{item.name}\nscore {item.score:.3f}{weak}{why}\n{item.path}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._pixmap(index.row())
        if role == PathRole:
            return item.path
        if role == ScoreRole:
            return item.score
        if role == MatchRole:
            return item.boxes
        if role == GoodRole:
            return item.good
        if role == DateRole:
            return item.taken
        return None

    def _pixmap(self, row: int) -> QPixmap:
        pixmap = self._pixmaps.get(row)
        if pixmap is None:
            pixmap = QPixmap.fromImage(self._items[row].image)
            self._pixmaps[row] = pixmap
        return pixmap

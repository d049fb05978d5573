"""A grid of photo cells, optionally under section headers ("November 2026").

An item view of its own because ``QListView`` cannot put a full-width header between
rows of cells. Its layout is arithmetic on the sections (a few hundred months, not
100k items): finding a cell, the cells in a rectangle or the visible ones costs the
same at any library size, and painting touches only the visible cells. The model
may carry ``sections`` (a list of ``Section``); without them the grid has no headers.
Selection, keyboard and mouse come from ``QAbstractItemView``. (Over 300 lines: one
class, the item-view API Qt asks a view to implement, kept together.)
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from PySide6.QtCore import QItemSelection, QModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPalette, QRegion
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyleOptionViewItem

from app.gui.kept_place import KeptPlace
from app.gui.translator import counted

HEADER_HEIGHT = 34
TEXT_HEIGHT = 44  # under the thumbnail: the name (and room for the cell's padding)


@dataclass(frozen=True)
class Section:
    title: str  # "" for none
    start: int  # first row
    count: int


class PhotoGrid(QAbstractItemView):
    def __init__(self, parent=None, thumb: int = 160) -> None:
        super().__init__(parent)
        self.thumb = thumb
        self.cell = QSize(thumb + 16, thumb + TEXT_HEIGHT)
        self.columns = 1
        self._sections: list[Section] = []
        self._tops: list[int] = []  # per section, the y of its header (or first row)
        self._height = 0
        self._hover = QModelIndex()
        self._kept = KeptPlace(self)  # selection and scroll across the model's reloads
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setMouseTracking(True)
        self.entered.connect(self._hovered)
        self.verticalScrollBar().setSingleStep(24)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    # -- layout -------------------------------------------------------------------------
    def set_thumb_size(self, thumb: int) -> None:
        """Thumbnails ``thumb`` px square; the photo at the top stays in view."""
        if thumb == self.thumb:
            return
        anchor = self.indexAt(QPoint(self.cell.width() // 2, self.cell.height() // 2))
        self.thumb = thumb
        self._relayout()
        if anchor.isValid():
            self.scrollTo(anchor, QAbstractItemView.ScrollHint.PositionAtTop)

    def gridSize(self) -> QSize:  # noqa: N802 (the name QListView uses)
        return QSize(self.cell)

    def _relayout(self) -> None:
        model = self.model()
        rows = model.rowCount() if model is not None else 0
        sections = list(getattr(model, "sections", None) or ()) if model is not None else []
        if not sections and rows:
            sections = [Section("", 0, rows)]
        width = self.viewport().width() or self.width()
        # every column the width allows, spread over it (no empty strip on the right)
        self.columns = max(1, width // (self.thumb + 16))
        self.cell = QSize(max(1, (width - 1) // self.columns), self.thumb + TEXT_HEIGHT)
        self._sections = sections
        self._tops = []
        y = 0
        for section in sections:
            self._tops.append(y)
            y += self._header(section) + self._grid_rows(section) * self.cell.height()
        self._height = y
        self.updateGeometries()
        self.viewport().update()

    def _header(self, section: Section) -> int:
        return HEADER_HEIGHT if section.title else 0

    def _grid_rows(self, section: Section) -> int:
        return -(-section.count // self.columns)

    def _locate(self, row: int) -> tuple[int, int, int] | None:
        """(section number, grid row, column) of a model row."""
        starts = [s.start for s in self._sections]
        n = bisect.bisect_right(starts, row) - 1
        if n < 0 or row >= self._sections[n].start + self._sections[n].count:
            return None
        i = row - self._sections[n].start
        return n, i // self.columns, i % self.columns

    def _cell_rect(self, n: int, grid_row: int, column: int) -> QRect:
        """In content coordinates (not scrolled)."""
        top = self._tops[n] + self._header(self._sections[n]) + grid_row * self.cell.height()
        return QRect(column * self.cell.width(), top, self.cell.width(), self.cell.height())

    def _row_at(self, n: int, grid_row: int, column: int) -> int | None:
        section = self._sections[n]
        if column >= self.columns or grid_row < 0:
            return None
        i = grid_row * self.columns + column
        return section.start + i if 0 <= i < section.count else None

    def _at(self, x: int, y: int, *, clamp: bool = False) -> int | None:
        """The row at content point (x, y); ``clamp``: the nearest cell of that grid row."""
        if not self._sections or y < 0 or y >= self._height:
            return None
        n = bisect.bisect_right(self._tops, y) - 1
        section = self._sections[n]
        y -= self._tops[n] + self._header(section)
        if y < 0:
            if not clamp:
                return None
            y = 0
        column = min(max(0, x), self.columns * self.cell.width() - 1) // self.cell.width()
        grid_row = y // self.cell.height()
        if clamp:
            column = min(column, section.count - 1 - grid_row * self.columns)
        return self._row_at(n, grid_row, column)

    def _rows_in(self, rect: QRect) -> list[tuple[int, int]]:
        """(first, last) row ranges of the cells meeting ``rect`` (content coordinates)."""
        if not self._sections or rect.isEmpty():
            rect = QRect(rect.topLeft(), QSize(1, 1))
        ranges = []
        first = max(0, bisect.bisect_right(self._tops, rect.top()) - 1)
        c0 = max(0, rect.left()) // self.cell.width()
        c1 = min(self.columns - 1, max(0, rect.right()) // self.cell.width())
        for n in range(first, len(self._sections)):
            if self._tops[n] > rect.bottom():
                break
            section = self._sections[n]
            body = self._tops[n] + self._header(section)
            r0 = max(0, (rect.top() - body) // self.cell.height())
            r1 = min(self._grid_rows(section) - 1, (rect.bottom() - body) // self.cell.height())
            for grid_row in range(r0, r1 + 1):
                a = self._row_at(n, grid_row, c0)
                b = self._row_at(n, grid_row, c1)
                if b is None:  # a short last row
                    b = section.start + section.count - 1
                if a is not None and a <= b:
                    ranges.append((a, b))
        return ranges

    def visible_rows(self) -> range:
        """The rows whose cells are (at least partly) in view."""
        top = self.verticalScrollBar().value()
        ranges = self._rows_in(QRect(0, top, self.viewport().width(), self.viewport().height()))
        return range(ranges[0][0], ranges[-1][1] + 1) if ranges else range(0)

    # -- QAbstractItemView --------------------------------------------------------------
    def visualRect(self, index: QModelIndex) -> QRect:  # noqa: N802 (Qt API)
        where = self._locate(index.row()) if index.isValid() else None
        if where is None:
            return QRect()
        return self._cell_rect(*where).translated(0, -self.verticalScrollBar().value())

    def indexAt(self, point: QPoint) -> QModelIndex:  # noqa: N802 (Qt API)
        row = self._at(point.x(), point.y() + self.verticalScrollBar().value())
        return self.model().index(row, 0) if row is not None else QModelIndex()

    def scrollTo(self, index: QModelIndex, hint=QAbstractItemView.ScrollHint.EnsureVisible):  # noqa: N802 (Qt API)
        rect = self.visualRect(index)
        if rect.isNull():
            return
        bar = self.verticalScrollBar()
        height = self.viewport().height()
        top = rect.top() - self._header_above(index.row())  # a month's first row: its header too
        if hint == QAbstractItemView.ScrollHint.PositionAtTop:
            bar.setValue(bar.value() + top)
        elif hint == QAbstractItemView.ScrollHint.PositionAtCenter:
            bar.setValue(bar.value() + rect.center().y() - height // 2)
        elif rect.top() < 0:
            bar.setValue(bar.value() + top)
        elif rect.bottom() > height:
            bar.setValue(bar.value() + rect.bottom() - height + 1)

    def _header_above(self, row: int) -> int:
        """The height of the header right above ``row``'s cell (0 if another row is)."""
        where = self._locate(row)
        if where is None or where[1] != 0:
            return 0
        return self._header(self._sections[where[0]])

    def moveCursor(self, action, modifiers) -> QModelIndex:  # noqa: N802 (Qt API)
        model = self.model()
        count = model.rowCount() if model is not None else 0
        if not count:
            return QModelIndex()
        current = self.currentIndex()
        if not current.isValid():
            return model.index(0, 0)
        rect = self.visualRect(current).translated(0, self.verticalScrollBar().value())
        x, y = rect.center().x(), rect.center().y()
        page = max(self.cell.height(), self.viewport().height() - self.cell.height())
        a = QAbstractItemView.CursorAction
        row: int | None = current.row()
        if action in (a.MoveLeft, a.MovePrevious):
            row = current.row() - 1
        elif action in (a.MoveRight, a.MoveNext):
            row = current.row() + 1
        elif action in (a.MoveUp, a.MoveDown, a.MovePageUp, a.MovePageDown):
            step = {a.MoveUp: -1, a.MoveDown: 1, a.MovePageUp: -1, a.MovePageDown: 1}[action]
            distance = self.cell.height() if action in (a.MoveUp, a.MoveDown) else page
            row = self._next_row_at(x, y, step * distance)
        elif action == a.MoveHome:
            row = 0
        elif action == a.MoveEnd:
            row = count - 1
        if row is None or not 0 <= row < count:
            return current
        return model.index(row, 0)

    def _next_row_at(self, x: int, y: int, dy: int) -> int | None:
        """The cell ``dy`` below (above) content point (x, y), passing over headers."""
        target = min(max(0, y + dy), self._height - 1)
        while 0 <= target < self._height:
            row = self._at(x, target, clamp=True)
            if row is not None:
                return row
            target += HEADER_HEIGHT // 2 if dy > 0 else -HEADER_HEIGHT // 2
        return None

    def horizontalOffset(self) -> int:  # noqa: N802 (Qt API)
        return 0

    def verticalOffset(self) -> int:  # noqa: N802 (Qt API)
        return self.verticalScrollBar().value()

    def isIndexHidden(self, index: QModelIndex) -> bool:  # noqa: N802 (Qt API)
        return False

    def setSelection(self, rect: QRect, flags) -> None:  # noqa: N802 (Qt API)
        """Qt passes the rectangle from the anchor (where the selection began) to the
        current point: as in photo apps, Shift-click and Shift+arrows select every photo
        in order between the two, not only those in the rectangle's columns."""
        model = self.model()
        selection = QItemSelection()
        scroll = self.verticalScrollBar().value()
        ends = [
            self._at(p.x(), p.y() + scroll, clamp=True)
            for p in (rect.topLeft(), rect.bottomRight())
        ]
        if ends[0] is not None and ends[1] is not None:
            selection.select(model.index(min(ends), 0), model.index(max(ends), 0))
        else:  # a corner off the cells (a header, empty space): the cells it covers
            for first, last in self._rows_in(rect.normalized().translated(0, scroll)):
                selection.select(model.index(first, 0), model.index(last, 0))
        self.selectionModel().select(selection, flags)

    def visualRegionForSelection(self, selection: QItemSelection) -> QRegion:  # noqa: N802 (Qt API)
        visible = self.visible_rows()
        region = QRegion()
        for span in selection:
            for row in range(max(span.top(), visible.start), min(span.bottom() + 1, visible.stop)):
                region += self.visualRect(self.model().index(row, 0))
        return region

    def updateGeometries(self) -> None:  # noqa: N802 (Qt API)
        bar = self.verticalScrollBar()
        bar.setPageStep(self.viewport().height())
        bar.setRange(0, max(0, self._height - self.viewport().height()))
        super().updateGeometries()

    def reset(self) -> None:
        super().reset()
        self._hover = QModelIndex()
        self._relayout()

    def rowsInserted(self, parent: QModelIndex, start: int, end: int) -> None:  # noqa: N802 (Qt API)
        super().rowsInserted(parent, start, end)
        self._relayout()

    def rowsAboutToBeRemoved(self, parent: QModelIndex, start: int, end: int) -> None:  # noqa: N802 (Qt API)
        super().rowsAboutToBeRemoved(parent, start, end)
        self.viewport().update()

    def setModel(self, model) -> None:  # noqa: N802 (Qt API)
        old = self.model()
        if old is not None:
            old.rowsRemoved.disconnect(self._rows_removed)
        super().setModel(model)
        if model is not None:
            model.rowsRemoved.connect(self._rows_removed)
        self._kept.watch(model)
        self._relayout()

    def _rows_removed(self, *_args) -> None:
        self._relayout()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        anchor = self.indexAt(QPoint(self.cell.width() // 2, self.cell.height() // 2))
        super().resizeEvent(event)
        columns = self.columns
        self._relayout()
        if anchor.isValid() and columns != self.columns:
            self.scrollTo(anchor, QAbstractItemView.ScrollHint.PositionAtTop)

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 (Qt API)
        self.viewport().scroll(dx, dy)  # moves the pixels; only the strip uncovered repaints

    def _hovered(self, index: QModelIndex) -> None:
        self._hover = index
        self.viewport().update()

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self._hover = QModelIndex()
        self.viewport().update()
        super().leaveEvent(event)

    # -- painting -----------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self.viewport())
        scroll = self.verticalScrollBar().value()
        area = event.rect().translated(0, scroll)
        for n, section in enumerate(self._sections):
            if section.title and self._tops[n] + HEADER_HEIGHT > area.top():
                if self._tops[n] > area.bottom():
                    break
                self._paint_header(painter, section, self._tops[n] - scroll)
        model = self.model()
        selection = self.selectionModel()
        current = self.currentIndex()
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        base_state = option.state
        delegate = self.itemDelegate()
        for first, last in self._rows_in(area):
            for row in range(first, last + 1):
                index = model.index(row, 0)
                option.rect = self.visualRect(index)
                option.state = base_state
                if selection.isSelected(index):
                    option.state |= QStyle.StateFlag.State_Selected
                if index == self._hover:
                    option.state |= QStyle.StateFlag.State_MouseOver
                if index == current and self.hasFocus():
                    option.state |= QStyle.StateFlag.State_HasFocus
                delegate.paint(painter, option, index)
        painter.end()

    def _paint_header(self, painter: QPainter, section: Section, y: int) -> None:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        rect = QRect(8, y, self.viewport().width() - 16, HEADER_HEIGHT)
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(rect, left, section.title)
        painter.setFont(self.font())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        count = counted(section.count, self.tr("{count} photo"), self.tr("{count} photos"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, count)

    def header_titles(self) -> list[str]:
        """The section headers in order (what a user reads down the grid)."""
        return [s.title for s in self._sections if s.title]

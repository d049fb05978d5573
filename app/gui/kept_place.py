"""Keeping the user's place in a grid while its model reloads: the selected photos, the
current one and the photo at the top of the view, by photo id.

A model that says which photo is at a row and where a photo is (``ids_at``, ``rows_of``:
the browsed library) is asked at ``modelAboutToBeReset`` (the old listing) and again at
``modelReset`` (the new one), so photos added while indexing move nothing the user sees.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QObject
from PySide6.QtWidgets import QAbstractItemView

NO_IDS = np.zeros(0, dtype=np.int64)


def selected_rows(selection: QItemSelectionModel) -> np.ndarray:
    """Every selected row in order, from the selection's ranges (a select-all of 100,000
    rows is one range, not 100,000 indexes)."""
    spans = [np.arange(r.top(), r.bottom() + 1) for r in selection.selection()]
    return np.unique(np.concatenate(spans)) if spans else NO_IDS


def row_ranges(rows: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) of each run of consecutive rows (sorted)."""
    if not len(rows):
        return []
    breaks = np.flatnonzero(np.diff(rows) != 1)
    starts = np.r_[rows[0], rows[breaks + 1]]
    ends = np.r_[rows[breaks], rows[-1]]
    return [(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]


class KeptPlace(QObject):
    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.view = view
        self._model = None
        self._selected = NO_IDS
        self._current = NO_IDS
        self._top = NO_IDS
        self._top_y = 0  # where the top photo's cell was, in the viewport

    def watch(self, model) -> None:
        """Keep the place across ``model``'s resets (if it can name its photos)."""
        if self._model is not None:
            self._model.modelAboutToBeReset.disconnect(self._remember)
            self._model.modelReset.disconnect(self._restore)
            self._model = None
        if model is not None and hasattr(model, "ids_at") and hasattr(model, "rows_of"):
            model.modelAboutToBeReset.connect(self._remember)
            model.modelReset.connect(self._restore)
            self._model = model

    def _remember(self) -> None:
        view, model = self.view, self._model
        self._selected = model.ids_at(selected_rows(view.selectionModel()))
        current = view.currentIndex()
        self._current = model.ids_at([current.row()]) if current.isValid() else NO_IDS
        visible = view.visible_rows()
        self._top = model.ids_at([visible.start]) if visible else NO_IDS
        if len(self._top):
            self._top_y = view.visualRect(model.index(visible.start, 0)).top()

    def _restore(self) -> None:
        view, model = self.view, self._model
        if len(self._top):
            rows = model.rows_of(self._top)
            if len(rows):
                rect = view.visualRect(model.index(int(rows[0]), 0))
                bar = view.verticalScrollBar()
                bar.setValue(bar.value() + rect.top() - self._top_y)
        selection = QItemSelection()
        for first, last in row_ranges(model.rows_of(self._selected)):
            selection.select(model.index(first, 0), model.index(last, 0))
        flag = QItemSelectionModel.SelectionFlag
        view.selectionModel().select(selection, flag.ClearAndSelect)
        rows = model.rows_of(self._current) if len(self._current) else NO_IDS
        if len(rows):
            view.selectionModel().setCurrentIndex(model.index(int(rows[0]), 0), flag.NoUpdate)
        self._selected = self._current = self._top = NO_IDS

"""The preview pane folds away while the window is too narrow for it, and comes back at
its width once there is room again: at the minimum size the filters and the grid need
that width more than a second, smaller copy of the current photo does.

Only a fold this makes is undone; a preview the user dragged shut stays shut.
"""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter

FOLD_BELOW = 1000  # window width (px) under which the preview folds


class PreviewFold:
    def __init__(self, splitter: QSplitter, pane: int) -> None:
        self.splitter = splitter
        self.pane = pane
        self.folded_width = 0  # the preview's width before this folded it (0: not folded)
        self._wide_width = 0  # its width when the window was last wide enough

    def fit(self, window_width: int) -> None:
        """Fold or unfold for a window now ``window_width`` wide."""
        sizes = self.splitter.sizes()
        if len(sizes) <= self.pane:
            return
        grid = self.pane - 1  # the pane beside it takes (and gives back) the width
        if window_width >= FOLD_BELOW and sizes[self.pane] > 0:
            self._wide_width = sizes[self.pane]
        if window_width < FOLD_BELOW and sizes[self.pane] > 0:
            self.folded_width = self._wide_width or sizes[self.pane]
            sizes[grid] += sizes[self.pane]
            sizes[self.pane] = 0
            self.splitter.setSizes(sizes)
        elif window_width >= FOLD_BELOW and self.folded_width and sizes[self.pane] == 0:
            width, self.folded_width = self.folded_width, 0
            sizes[grid] = max(1, sizes[grid] - width)
            sizes[self.pane] = width
            self.splitter.setSizes(sizes)

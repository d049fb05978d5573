"""Near-duplicates in the window, without the widgets: find the groups, keep the best copy.

Finding runs on a worker (index.duplicates: an ANN self-join over the library's vectors);
keeping the best moves the other copies to the system trash through the window
controller's trash action, so the library and the results on show follow at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.gui.session import Session
from app.gui.workers import Jobs
from index.duplicates import DEFAULT_THRESHOLD, DuplicateGroup, find_duplicates


class DuplicatesController(QObject):
    groups_changed = Signal(object)  # list[DuplicateGroup]
    busy_changed = Signal(bool)
    error = Signal(str)

    def __init__(
        self, session: Session, jobs: Jobs, trash: Callable[[list[str]], None], parent=None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.jobs = jobs
        self.trash = trash
        self.threshold = DEFAULT_THRESHOLD
        self.groups: list[DuplicateGroup] = []
        self.busy = False

    def find(self, threshold: float | None = None) -> None:
        """Look for groups again (worker thread); the groups arrive by ``groups_changed``."""
        if threshold is not None:
            self.threshold = threshold
        if self.busy:
            return
        library = self.session.library
        if library is None or library.binding is None:
            self._set_groups([])
            return
        self._set_busy(True)
        self.jobs.start(
            find_duplicates,
            library,
            self.threshold,
            on_result=self._found,
            on_error=self._failed,
        )

    def keep_best(self, group: DuplicateGroup) -> list[str]:
        """Move every copy but the best to the trash; returns their paths."""
        others = [c.path for c in group.others]
        if others:
            self.trash(others)
        self._set_groups([g for g in self.groups if g is not group])
        return others

    def _found(self, groups: list[DuplicateGroup]) -> None:
        self._set_busy(False)
        self._set_groups(groups)

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self.error.emit(message)

    def _set_groups(self, groups: list[DuplicateGroup]) -> None:
        self.groups = groups
        self.groups_changed.emit(groups)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_changed.emit(busy)

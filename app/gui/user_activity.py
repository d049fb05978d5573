"""Whether the window's user is at work: scrolling the grid or typing a query.

Background work that can wait (compacting the vector store, index/compaction.py) waits
while they are, and pauses if it had started, so that its process does not take the core
the window needs. Asked from any thread; no Qt.
"""

from __future__ import annotations

import time
from collections.abc import Callable

QUIET_S = 1.0  # this long after the last scroll or keystroke, the user is between actions


class UserActivity:
    def __init__(self, quiet_s: float = QUIET_S, clock: Callable[[], float] = time.monotonic):
        self._quiet_s = quiet_s
        self._clock = clock
        self._last = float("-inf")

    def touch(self, *_: object) -> None:
        """The user did something (a slot for any signal)."""
        self._last = self._clock()

    def busy(self) -> bool:
        return self._clock() - self._last < self._quiet_s

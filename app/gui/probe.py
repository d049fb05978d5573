"""Measure event-loop responsiveness: a fast QTimer whose late ticks show blocking.

A timer set to ``interval_ms`` should tick every ``interval_ms``; whenever the GUI thread
is busy, the next tick comes late. ``blocked_ms`` lists, per tick, how much later than
due it came: its maximum is the longest freeze a user could have seen.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer


class EventLoopProbe(QObject):
    def __init__(self, interval_ms: int = 5, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self._last: float | None = None
        self.blocked_ms: list[float] = []

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.blocked_ms.append(max(0.0, (now - self._last) * 1000 - self.interval_ms))
        self._last = now

    def start(self) -> None:
        self._last = None
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    @property
    def max_ms(self) -> float:
        return max(self.blocked_ms, default=0.0)

"""Run blocking work off the GUI thread and hand results back as typed Qt signals.

A job is a plain callable. It runs on a ``QThreadPool``; its outcome comes back on the
GUI thread through ``result``/``error``/``finished``.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("photosearch.gui")


class WorkerSignals(QObject):
    result = Signal(object)
    error = Signal(str)
    finished = Signal()


class Worker(QRunnable):
    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        super().__init__()
        self.fn = fn
        self.args = args
        self.signals = WorkerSignals()
        self.setAutoDelete(False)  # the Python wrapper owns it, so signals outlive run()

    def run(self) -> None:
        try:
            value = self.fn(*self.args)
        except Exception as exc:  # every failure becomes a message, never a crash
            log.debug("worker failed:\n%s", traceback.format_exc())
            self.signals.error.emit(error_line(exc))
        else:
            self.signals.result.emit(value)
        finally:
            self.signals.finished.emit()


def error_line(exc: BaseException) -> str:
    """One readable line for the user (the project's user errors are already phrased)."""
    from app.errors import USER_ERRORS, UsageError
    from app.messages import localized

    if isinstance(exc, (*USER_ERRORS, UsageError)):
        return localized(exc)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class Jobs:
    """Starts workers on a pool and keeps them alive until they have finished."""

    def __init__(self, pool: QThreadPool | None = None) -> None:
        self.pool = pool or QThreadPool.globalInstance()
        self._running: set[Worker] = set()
        self.closed = False  # after close(), start() does nothing (the window is going)

    def close(self) -> None:
        self.closed = True

    def start(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> Worker | None:
        if self.closed:
            return None
        worker = Worker(fn, *args)
        if on_result:
            worker.signals.result.connect(on_result)
        if on_error:
            worker.signals.error.connect(on_error)
        worker.signals.finished.connect(lambda: self._running.discard(worker))
        self._running.add(worker)
        self.pool.start(worker)
        return worker

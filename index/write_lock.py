"""The library's writer lock: one writing process at a time, released by the system when
the process ends however it ends (kill -9 included). An exclusive lock on the lock file:
``flock`` on Linux and macOS, ``msvcrt.locking`` on Windows, as the filelock package takes
it (whose import alone cost a command with nothing to do more than its scan)."""

from __future__ import annotations

import os
from pathlib import Path


class LockHeld(Exception):
    """Another process holds the lock."""


class WriteLock:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    @property
    def is_locked(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock now or raise :class:`LockHeld` (never waits)."""
        if self._fd is not None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise LockHeld(str(self.path)) from None
        if os.fstat(fd).st_nlink == 0:  # the file was deleted meanwhile: lock the new one
            _unlock(fd)
            os.close(fd)
            return self.acquire()
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        finally:
            os.close(fd)


if os.name == "nt":
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

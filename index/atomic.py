"""Atomic file replacement: write a temp file beside the target, fsync, rename."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_target(path: str | Path, durable: bool = True) -> Iterator[Path]:
    """Yield a temp path to write; on success it replaces ``path`` atomically.

    On any error (disk full included) the temp file is removed and ``path`` keeps its
    previous content. ``durable=False`` skips the fsyncs, for caches that can be rebuilt.
    """
    path = Path(path)
    tmp = temp_path(path)
    try:
        yield tmp
        if durable:
            fsync_file(tmp)
        os.replace(tmp, path)
        if durable:
            fsync_dir(path.parent)
    finally:
        if tmp.exists():
            tmp.unlink()


def temp_path(path: Path) -> Path:
    """A temp name beside ``path`` that :func:`remove_stale_temps` cleans up after a kill."""
    return path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_temps(path: str | Path) -> int:
    """Delete temp files a killed writer left beside ``path``; returns how many.

    Call only while holding the library's write lock (no live writer owns them).
    """
    path = Path(path)
    removed = 0
    for leftover in path.parent.glob(f".{path.name}.tmp-*"):
        try:
            leftover.unlink()
            removed += 1
        except OSError:
            pass
    return removed

"""Run a short sequence of small ops on one intra-op thread.

A text query's ops are tiny (about 8 token rows): split over torch's intra-op threads, each
layer norm and attention is a fork and join of the thread team, which costs more than it
saves, and far more when the other cores are busy (the waiting thread is not scheduled).
The per-row results do not depend on the split, so the output is the same bit for bit.

torch's thread count is process-wide, but OpenMP's team size is per thread: each caller
sets both to one on the way in and back on the way out, so every thread that ran a query
gets its own count back. The count to go back to is the one before the first of the callers
inside at once (nested and concurrent callers are counted). While a caller is inside, ops
started in other threads (an indexing job encoding photos) may run on one thread too.

Only when the cores are busy (:func:`cores_are_busy`): on idle cores the thread team's
fork and join cost less than the second core saves, and one thread is slower (bench.scale
and bench.query_path on a quiet machine, docs/BENCHMARKS.md).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

import torch

_lock = threading.Lock()
_inside = 0
_restore = 1


def cores_are_busy() -> bool:
    """True when runnable work already fills every core: the 1-minute load average, which
    counts this process's own busy threads too, at or above the number of cores. Where the
    system keeps no load average (Windows), False."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return False
    return load >= (os.cpu_count() or 1)


@contextlib.contextmanager
def one_intra_op_thread() -> Iterator[None]:
    global _inside, _restore
    with _lock:
        if _inside == 0:
            _restore = torch.get_num_threads()
        _inside += 1
        restore = _restore
        if restore > 1:
            torch.set_num_threads(1)
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if restore > 1:
                torch.set_num_threads(restore)

"""Run a short sequence of small ops on one intra-op thread.

A text query's ops are tiny (about 8 token rows): split over torch's intra-op threads, each
layer norm and attention is a fork and join of the thread team, which costs more than it
saves, and far more when the other cores are busy (the waiting thread is not scheduled).
The per-row results do not depend on the split, so the output is the same bit for bit.

torch's thread count is process-wide: while any caller is inside, ops started in other
threads (an indexing job encoding photos) also run on one thread, for that long. Nested and
concurrent callers are counted; the last one out restores the count.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import torch

_lock = threading.Lock()
_inside = 0
_restore = 1


@contextlib.contextmanager
def one_intra_op_thread() -> Iterator[None]:
    global _inside, _restore
    with _lock:
        if _inside == 0:
            _restore = torch.get_num_threads()
            if _restore > 1:
                torch.set_num_threads(1)
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0 and _restore > 1:
                torch.set_num_threads(_restore)

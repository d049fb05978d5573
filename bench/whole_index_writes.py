"""The ways a whole-index write (a compaction's new snapshot) has been made, for the
benchmarks that set them side by side, and a recorder of when such writes run.

The store builds a compaction's snapshot in a separate process from its files
(``index/snapshot_build.py``). The earlier ways, kept here only as baselines:

- ``fork``: the writer's process forks; the child (at a lowered priority) runs hnswlib's
  ``save_index`` on its copy-on-write image of the index. The ``fork()`` call holds the
  GIL while the kernel copies the page tables (it grows with the process's memory).
- ``memory copy``: hnswlib's ``__getstate__`` copies the index under the GIL (it grows
  with the index), then the file is written from the copy.

Each is started under the store's write lock (the index as it is at the log offset
compaction noted) and its ``wait`` writes, fsyncs and checks the file, as the store's
own builder does.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from index.atomic import fsync_file
from index.snapshot_build import WRITER_NICENESS
from index.vector_snapshot import _HEADER, check_index_file

FILES = "from the files (now)"
FILES_IDLE = "from the files, SCHED_IDLE"  # (an experiment: the lowest priority Linux has)
FORK = "fork"
MEMORY_COPY = "memory copy"
_PR_SET_PDEATHSIG = 1


class ForkedWrite:
    def __init__(self, index, path: Path, niceness: int = WRITER_NICENESS) -> None:
        self.path = path
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before the fork
        parent = os.getpid()
        pid = os.fork()
        if pid:
            self._pid = pid
            return
        code = 1
        try:  # the child: nothing but the write, then out without Python's shutdown
            prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
            os.nice(niceness)
            if os.getppid() == parent:
                index.save_index(str(path))
                code = 0
        finally:
            os._exit(code)

    def wait(self) -> None:
        _, status = os.waitpid(self._pid, 0)
        if os.waitstatus_to_exitcode(status):
            raise OSError(errno.EIO, "the forked snapshot writer failed", str(self.path))
        fsync_file(self.path)
        check_index_file(self.path)


class CopiedWrite:
    def __init__(self, index, path: Path) -> None:
        self.path = path
        self._state = index.__getstate__()[0]

    def wait(self) -> None:
        state, self._state = self._state, None
        write_state(state, self.path)
        fsync_file(self.path)
        check_index_file(self.path)


@contextlib.contextmanager
def compacting(store, way: str, record: dict | None = None) -> Iterator[None]:
    """Within: ``store``'s compactions build their snapshot ``way``; ``record`` gets the
    wall and thread CPU ms of the step that starts the build (under the write lock)."""
    compactor = store.compactor
    own = compactor.start_build

    def start_build(upto: int, path: Path):
        wall, cpu = time.perf_counter(), time.thread_time()
        if way in (FILES, FILES_IDLE):
            started = own(upto, path)
            if way == FILES_IDLE:
                os.sched_setscheduler(started.pid, os.SCHED_IDLE, os.sched_param(0))
        elif way == FORK:
            started = ForkedWrite(store._index, path)
        else:
            started = CopiedWrite(store._index, path)
        if record is not None:
            record["held_ms"] = (time.perf_counter() - wall) * 1000
            record["held_cpu_ms"] = (time.thread_time() - cpu) * 1000
        return started

    compactor.start_build = start_build
    try:
        yield
    finally:
        del compactor.start_build  # back to the class's own


def record_whole_index_writes() -> list[tuple[float, float]]:
    """From now on, note (start, end) of every whole-index write: a compaction's build, or
    a snapshot the writer writes from memory (a first snapshot, a closing writer)."""
    from index import compaction
    from index.hnsw_index import HnswIndex

    spans: list[tuple[float, float]] = []
    compact, save_file = compaction.Compactor.compact, HnswIndex.save_file

    def timed(real):
        def run(*args):
            started = time.perf_counter()
            try:
                return real(*args)
            finally:
                spans.append((started, time.perf_counter()))

        return run

    compaction.Compactor.compact = timed(compact)  # type: ignore[method-assign]
    HnswIndex.save_file = timed(save_file)  # type: ignore[method-assign]
    return spans


def write_state(params: dict, path: str | Path) -> None:
    """Write hnswlib's file (as ``save_index`` does) from ``Index.__getstate__()[0]``."""
    count = params["cur_element_count"]
    head = _HEADER.pack(*(params[key] for key in _STATE_KEYS))
    levels = np.asarray(params["element_levels"][:count], dtype=np.int64)
    sizes = np.where(levels > 0, levels * params["size_links_per_element"], 0).astype("<u4")
    # Each element: a uint32 size, then that many bytes of its upper-level links, which
    # ``link_lists`` holds back to back in element order.
    starts = np.concatenate([[0], np.cumsum(4 + sizes.astype(np.int64))[:-1]])
    tail = np.empty(4 * count + int(sizes.sum(dtype=np.int64)), dtype=np.uint8)
    is_size = np.zeros(len(tail), dtype=bool)
    is_size[(starts[:, None] + np.arange(4)).ravel()] = True
    tail[is_size] = sizes.view(np.uint8)
    tail[~is_size] = params["link_lists"].view(np.uint8)
    with open(path, "wb") as f:
        f.write(head)
        f.write(memoryview(params["data_level0"].view(np.uint8)))
        f.write(memoryview(tail))


_STATE_KEYS = (
    "offset_level0",
    "max_elements",
    "cur_element_count",
    "size_data_per_element",
    "label_offset",
    "offset_data",
    "max_level",
    "enterpoint_node",
    "max_M",
    "max_M0",
    "M",
    "mult",
    "ef_construction",
)

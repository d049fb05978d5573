"""The hnswlib snapshot file: writing one without stopping the process's threads,
checking a freshly written one, reading its live labels."""

from __future__ import annotations

import ctypes
import errno
import os
import signal
import struct
import sys
from pathlib import Path

import numpy as np

# Forking a process with threads is safe here because the child runs only hnswlib's
# writer and leaves with os._exit; Linux only (macOS frameworks forbid it).
CAN_FORK = sys.platform.startswith("linux") and hasattr(os, "fork")
_PR_SET_PDEATHSIG = 1
# The child's niceness: its write is background work, so the window's threads (and the
# indexing) get the cores first; bench.snapshot_pause measures it against 0.
WRITER_NICENESS = 10


class SnapshotWrite:
    """The whole index written to ``path`` as it is at the moment this is made.

    hnswlib's ``save_index`` and its in-memory copy (``__getstate__``) both hold Python's
    GIL throughout, which freezes every thread of the process, a window's included, for
    as long as the index is large. Where it can, this forks: the child, a copy-on-write
    image of the index, runs ``save_index`` at a lowered priority and exits, while this
    process only waits (the ``fork()`` call, which holds the GIL while the kernel copies
    the page tables, is the one pause; it grows with the process's memory, not the
    file's size). The child dies with its parent, so a killed writer leaves only a temp
    file.
    Without fork: a memory copy now, and ``wait`` writes the file from it.

    Make it while nothing changes the index (under the store's write lock); ``wait``
    needs no lock.
    """

    def __init__(self, index, path: str | Path, fork: bool = CAN_FORK) -> None:
        self.path = Path(path)
        self._state = None if fork else index.__getstate__()[0]
        self._pid = _fork_writer(index, self.path) if fork else None

    def wait(self) -> None:
        """Return once the file is written (not fsynced); ``OSError`` if it could not be."""
        if self._pid is None:
            state, self._state = self._state, None
            write_state(state, self.path)
            return
        pid, self._pid = self._pid, None
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code:
            raise OSError(errno.EIO, f"the snapshot writer failed (exit {code})", str(self.path))


def _fork_writer(index, path: Path) -> int:
    parent = os.getpid()
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before the fork
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:  # the child: nothing but the write, then out without Python's shutdown
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        os.nice(WRITER_NICENESS)
        if os.getppid() == parent:  # (else the parent died before prctl)
            index.save_index(str(path))
            code = 0
    finally:
        os._exit(code)


# hnswlib's file: a 96-byte header, cur_count level-0 records, then per element a uint32
# link-list size followed by that many bytes (hnswalg.h saveIndex).
_HEADER = struct.Struct("<6QiI3QdQ")


def check_index_file(path: str | Path) -> None:
    """Raise ``OSError(ENOSPC)`` unless ``path`` is a complete hnswlib index file.

    hnswlib's ``save_index`` does not report write errors, so a full disk would
    otherwise leave a silently truncated file.
    """
    size = os.path.getsize(path)
    incomplete = OSError(errno.ENOSPC, "incomplete write (disk full?)", str(path))
    with open(path, "rb") as f:
        head = f.read(_HEADER.size)
        if len(head) < _HEADER.size:
            raise incomplete
        fields = _HEADER.unpack(head)
        count, per_element = fields[2], fields[3]
        pos = _HEADER.size + count * per_element
        if pos > size:
            raise incomplete
        f.seek(pos)
        blob = f.read()
    view = memoryview(blob)
    offset = 0
    for _ in range(count):
        if offset + 4 > len(view):
            raise incomplete
        (links,) = struct.unpack_from("<I", view, offset)
        offset += 4 + links
    if offset != len(view):
        raise incomplete


_DELETE_MARK_OFFSET = 2  # hnswlib keeps the deleted flag in byte 2 of an element's record


def live_labels_in_file(path: Path, count: int) -> list[int] | None:
    """The labels not marked deleted, read straight from the saved records.

    Asking hnswlib element by element takes tens of seconds at a million photos; this
    reads one flag and one label per record. None when the file does not look as
    expected (the caller then asks hnswlib).
    """
    try:
        with open(path, "rb") as f:
            fields = _HEADER.unpack(f.read(_HEADER.size))
        offset_level0, _, cur_count, per_element, label_offset = fields[:5]
        if cur_count != count or offset_level0 != 0:
            return None
        records = np.memmap(
            path, dtype=np.uint8, mode="r", offset=_HEADER.size, shape=(cur_count, per_element)
        )
        labels = np.ascontiguousarray(records[:, label_offset : label_offset + 8]).view("<u8")
        deleted = (records[:, _DELETE_MARK_OFFSET] & 1).astype(bool)
        return [int(x) for x in labels.ravel()[~deleted]]
    except (OSError, ValueError, struct.error):
        return None


def write_state(params: dict, path: str | Path) -> None:
    """Write hnswlib's file (as ``save_index`` does) from ``Index.__getstate__()[0]``.

    Taking the state is a copy in memory, so compaction holds the writer for that copy only
    and writes the file, the slow part, without a lock.
    """
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

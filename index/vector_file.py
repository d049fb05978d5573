"""Vectors read straight from a saved hnswlib file (memory-mapped), for exact scans.

hnswlib's ``get_items`` copies vectors one label at a time through Python lists: tens of
microseconds each, so an exact scan of a few thousand photos took hundreds of
milliseconds (bench.filters). The saved file holds every vector at a fixed offset of its
level-0 record; mapping it costs nothing and a scan reads only the rows it needs. Only a
store whose snapshot holds all it has may be read this way: nothing unsaved and no change
log records past the snapshot (index/vector_store.py); compaction makes that so again.
"""

from __future__ import annotations

import os
import struct
import threading
from pathlib import Path

import numpy as np

from index.vector_snapshot import _DELETE_MARK_OFFSET, _HEADER

_lock = threading.Lock()
_open: dict[str, tuple[tuple, VectorFile]] = {}


class VectorFile:
    def __init__(self, path: Path, dim: int) -> None:
        with open(path, "rb") as f:
            fields = _HEADER.unpack(f.read(_HEADER.size))
        offset_level0, _, count, per_element, label_offset, data_offset = fields[:6]
        if offset_level0 != 0 or per_element < data_offset + dim * 4:
            raise ValueError("unexpected hnswlib file layout")
        records = np.memmap(
            path, dtype=np.uint8, mode="r", offset=_HEADER.size, shape=(count, per_element)
        )
        labels = np.ascontiguousarray(records[:, label_offset : label_offset + 8]).view("<u8")
        labels = labels.ravel().astype(np.int64)
        live = np.flatnonzero((records[:, _DELETE_MARK_OFFSET] & 1) == 0)
        self._order = live[np.argsort(labels[live], kind="stable")]  # live records by label
        self._sorted = labels[self._order]
        whole = np.memmap(path, dtype=np.uint8, mode="r")
        self._vectors = np.ndarray(  # each record's vector, in place: a strided view
            (count, dim), np.float32, whole, _HEADER.size + data_offset, (per_element, 4)
        )

    def live_vectors(self, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(the ``labels`` that have a live vector in the file, their vectors)."""
        if len(self._sorted) == 0:
            return labels[:0], np.zeros((0, self._vectors.shape[1]), np.float32)
        at = np.minimum(np.searchsorted(self._sorted, labels), len(self._sorted) - 1)
        found = self._sorted[at] == labels
        return labels[found], self._vectors[self._order[at[found]]]


def saved_vectors(path: Path, dim: int) -> VectorFile | None:
    """The mapped file at ``path`` (kept while it is unchanged), or None if unreadable."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    signature = (st.st_ino, st.st_mtime_ns, st.st_size)
    with _lock:
        cached = _open.get(str(path))
        if cached is not None and cached[0] == signature:
            return cached[1]
        try:
            view = VectorFile(path, dim)
        except (OSError, ValueError, struct.error):
            return None
        _open[str(path)] = (signature, view)
        return view

"""The hnswlib snapshot file: checking a freshly written one, reading its live labels.

Whole snapshots are written by hnswlib itself: by compaction's own process
(``index/snapshot_build.py``), or by the writer for a store's first snapshot.
"""

from __future__ import annotations

import errno
import os
import struct
from pathlib import Path

import numpy as np

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
_RECORDS_PER_READ = 16384


def live_labels_in_file(path: Path, count: int) -> list[int] | None:
    """The labels not marked deleted, read straight from the saved records.

    Asking hnswlib element by element takes tens of seconds at a million photos; this
    reads one flag and one label per record, mapping a slice of records at a time (the
    whole file mapped at once would add its size to the process's resident memory).
    None when the file does not look as expected (the caller then asks hnswlib).
    """
    try:
        with open(path, "rb") as f:
            fields = _HEADER.unpack(f.read(_HEADER.size))
        offset_level0, _, cur_count, per_element, label_offset = fields[:5]
        if cur_count != count or offset_level0 != 0:
            return None
        live: list[int] = []
        for start in range(0, cur_count, _RECORDS_PER_READ):
            rows = min(_RECORDS_PER_READ, cur_count - start)
            offset = _HEADER.size + start * per_element
            records = np.memmap(path, np.uint8, "r", offset, shape=(rows, per_element))
            labels = np.ascontiguousarray(records[:, label_offset : label_offset + 8])
            deleted = (records[:, _DELETE_MARK_OFFSET] & 1).astype(bool)
            del records  # unmapped: its pages leave the process
            live += labels.view("<u8").ravel()[~deleted].tolist()
        return live
    except (OSError, ValueError, struct.error):
        return None

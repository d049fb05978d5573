"""Whether a library's catalog and vector store still agree as they did at a clean close, so
that a writer with nothing to encode need not load the store to reconcile them.

Opening the store for writing reconciles it with the catalog (index.library): photos a
lost or damaged store dropped are queued again. That load (hnswlib, numpy, the whole
file) is most of what a ``reindex`` with nothing new would cost. After a writer has
reconciled and closed the store, it records what agreed: each store file's identity
(size, inode, modification and, on POSIX, change time: a file rewritten in place, even with
its size and modification time put back, has a new change time) and a CRC32 of
:data:`SAMPLES` blocks spread over it (so a replaced or zeroed file is noticed on any system),
and a fingerprint of the catalog's indexed and pending photo ids. That costs the same at any
store size: a whole-file CRC read the 2.2 GB store of a million photos at every clean close
and every open (docs/BENCHMARKS.md). The log's records carry their own checksums, checked as
they are replayed. The record holds for as long as both still match it; anything else (a
crash mid-write, a restored catalog, a lost or rewritten file) does not match and the store
is loaded and reconciled as before.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

from index.catalog import INDEXED, PENDING, Catalog, CatalogError
from index.store_files import log_path

META_KEY = "store_agreement"
SAMPLES = 16  # blocks read of a file of any size: its first, its last, the rest evenly between
SAMPLE_BYTES = 1 << 16
# ids hashed two more ways (multiplier, prime modulus), so that a different set of ids
# with the same count and sum does not pass for the same
_HASHES = ((2654435761, 4294967291), (40503, 2147483647))


def record(catalog: Catalog, snapshot: Path) -> None:
    """Note that the catalog and the store files at ``snapshot`` agree now (if it cannot be
    noted, the next writer loads the store and reconciles, as it always did)."""
    try:
        catalog.set_meta(META_KEY, json.dumps(_state(catalog, snapshot)))
    except (OSError, CatalogError):
        pass


def agrees(catalog: Catalog, snapshot: Path) -> bool:
    """True when both are as :func:`record` last saw them."""
    recorded = catalog.get_meta(META_KEY)
    if recorded is None:
        return False
    try:
        return json.loads(recorded) == _state(catalog, snapshot)
    except (OSError, ValueError, CatalogError):
        return False


def _state(catalog: Catalog, snapshot: Path) -> dict:
    return {"files": [_content(snapshot), _content(log_path(snapshot))], "ids": _ids(catalog)}


def _content(path: Path) -> list | None:
    """[size, inode, modification time, change time, CRC32 of the sampled blocks] of the
    file, None when there is none."""
    try:
        with open(path, "rb", buffering=0) as f:
            stat = os.fstat(f.fileno())
            crc = 0
            for offset in _sample_offsets(stat.st_size):
                f.seek(offset)
                crc = zlib.crc32(f.read(SAMPLE_BYTES), crc)
    except FileNotFoundError:
        return None
    # Windows' st_ctime is the creation time, which an in-place rewrite keeps
    changed = stat.st_ctime_ns if os.name == "posix" else None
    return [stat.st_size, stat.st_ino, stat.st_mtime_ns, changed, crc]


def _sample_offsets(size: int) -> list[int]:
    """Where the sampled blocks start: the whole file when it is that small."""
    if size <= SAMPLES * SAMPLE_BYTES:
        return list(range(0, size, SAMPLE_BYTES))
    last = size - SAMPLE_BYTES
    return [last * i // (SAMPLES - 1) for i in range(SAMPLES)]


def _ids(catalog: Catalog) -> dict:
    hashes = ", ".join(f"SUM((id * {k}) % {p})" for k, p in _HASHES)
    rows = catalog.read(
        f"SELECT status, COUNT(*), SUM(id), {hashes} FROM photos"
        " WHERE status IN (?, ?) GROUP BY status",
        (INDEXED, PENDING),
    )
    return {status: list(values) for status, *values in rows}

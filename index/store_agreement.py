"""Whether a library's catalog and vector store still agree as they did at a clean close, so
that a writer with nothing to encode need not load the store to reconcile them.

Opening the store for writing reconciles it with the catalog (index.library): photos a
lost or damaged store dropped are queued again. That load (hnswlib, numpy, the whole
file) is most of what a ``reindex`` with nothing new would cost. After a writer has
reconciled and closed the store, it records what agreed: the store files' sizes and CRC32
(their content, so a damaged or replaced file is noticed like a missing one) and a
fingerprint of the catalog's indexed and pending photo ids. Agreement is a property of that
content alone, so the record holds for as long as both still match it, whatever happened in
between; anything else (a crash mid-write, a restored catalog, a lost file) does not match
and the store is loaded and reconciled as before.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from index.catalog import INDEXED, PENDING, Catalog, CatalogError
from index.store_files import log_path

META_KEY = "store_agreement"
_BLOCK = 1 << 24
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
    """[size, CRC32] of the file, None when there is none."""
    try:
        with open(path, "rb") as f:
            crc, size = 0, 0
            while block := f.read(_BLOCK):
                crc, size = zlib.crc32(block, crc), size + len(block)
    except FileNotFoundError:
        return None
    return [size, crc]


def _ids(catalog: Catalog) -> dict:
    hashes = ", ".join(f"SUM((id * {k}) % {p})" for k, p in _HASHES)
    rows = catalog.read(
        f"SELECT status, COUNT(*), SUM(id), {hashes} FROM photos"
        " WHERE status IN (?, ?) GROUP BY status",
        (INDEXED, PENDING),
    )
    return {status: list(values) for status, *values in rows}

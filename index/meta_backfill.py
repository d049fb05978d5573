"""Metadata for photos indexed before the library kept it (or whose run was killed before
it was written): read from each file's header only, never re-encoded.

Works from "indexed photos without a metadata row" and commits per chunk, so an interrupted
backfill resumes where it stopped.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from index.catalog import Catalog
from index.meta_store import ids_without_meta, write_meta
from index.photo_meta import PhotoMeta, meta_from_facts

log = logging.getLogger("photosearch.index")

FactsReader = Callable[[str], dict[str, Any]]
CHUNK = 200


def backfill_meta(
    catalog: Catalog,
    read_facts: FactsReader,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> int:
    """Fill in metadata for every indexed photo without it; returns how many were filled.
    ``progress(done, total)`` after each chunk."""
    total = catalog.read(
        "SELECT COUNT(*) FROM photos p LEFT JOIN photo_meta m ON m.photo_id = p.id"
        " WHERE p.status = 'indexed' AND m.photo_id IS NULL"
    )[0][0]
    done = 0
    while done < total and not cancelled():
        ids = ids_without_meta(catalog, CHUNK)
        if not ids:
            break
        rows = catalog.photos_by_ids(ids)
        write_meta(catalog, [(pid, _meta_of(rows[pid].path, read_facts)) for pid in rows])
        done += len(ids)
        if progress:
            progress(min(done, total), total)
    return done


def _meta_of(path: str, read_facts: FactsReader) -> PhotoMeta:
    try:
        facts = read_facts(path)
    except Exception as exc:  # unreadable now: the file time stands in, as at index time
        log.debug("no metadata from %s: %s", path, exc)
        facts = None
    try:
        mtime_ns = os.stat(path).st_mtime_ns
    except OSError:
        mtime_ns = 0
    return meta_from_facts(facts, mtime_ns)

"""Photos that pass a filter, by date taken (``photosearch list``, and the window's browsing
without a query)."""

from __future__ import annotations

import numpy as np

from index.catalog import Catalog
from index.meta_columns import MetaColumns
from index.photo_filter import PhotoFilter
from index.search import SearchResult, with_meta


def list_photos(
    catalog: Catalog,
    columns: MetaColumns,
    flt: PhotoFilter,
    limit: int | None = None,
    newest_first: bool = True,
) -> tuple[list[SearchResult], int]:
    """(the first ``limit`` matching photos by date, how many match in all). Results carry
    their metadata; their score is 0 (no query ranked them)."""
    ids = columns.matching(flt)
    taken = columns.taken_of(ids)
    order = np.lexsort((ids, -taken if newest_first else taken))
    if not newest_first:  # photos without a date (0) last either way
        order = np.concatenate([order[taken[order] > 0], order[taken[order] == 0]])
    chosen = [int(i) for i in ids[order[:limit] if limit else order]]
    rows = catalog.photos_by_ids(chosen)
    results = [
        SearchResult(n, 0.0, rows[pid].path, pid) for n, pid in enumerate(chosen, 1) if pid in rows
    ]
    return with_meta(catalog, results), len(ids)

"""Finding photos with filters and in date order: the entry the CLI and the window share.

``find_photos`` searches (a query expression, example images, or both) among the photos a
filter keeps; ``browse_photos`` lists them by date with no query. Both return results
carrying their metadata (``result.meta``: date, place, camera, size, type). Qt-free: the
window calls these from its workers.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.search_args import DATE, RELEVANCE, SORTS
from index.library import Library
from index.meta_columns import MetaColumns
from index.photo_filter import PhotoFilter
from index.photo_list import list_photos
from index.query import Query
from index.search import SearchResult, SearchService, by_date, with_meta
from index.text_search import TextAwareSearch, holds_every_word

__all__ = ["DATE", "RELEVANCE", "SORTS", "Found", "browse_photos", "find_photos"]


@dataclass(frozen=True)
class Found:
    results: list[SearchResult]
    total: int | None = None  # browse: how many photos pass the filter in all
    text_wanted: bool = False  # the query needed the text read from photos


def find_photos(
    search: SearchService,
    query: Query,
    raw_text: str = "",
    k: int = 10,
    flt: PhotoFilter | None = None,
    sort: str = RELEVANCE,
    text_only: bool = False,
) -> Found:
    """The ``k`` best photos for ``query`` among those ``flt`` keeps, good matches marked,
    through ``search`` (a warm one keeps its good-match calibration across queries);
    ``sort=DATE`` puts those k in date order (newest first). ``raw_text``: the query as typed
    (its quoted phrases must match the text read from photos)."""
    text_wanted = False
    if query.is_plain_text:  # CLIP fused with the text read from photos
        text = raw_text or query.terms[0].text or ""
        fused = TextAwareSearch(search)
        results = fused.search(text, k, text_only=text_only, flt=flt)
        results = search.mark_good(query, results, holds_every_word)
        text_wanted = fused.wants_text(text, text_only)
    else:
        results = search.by_query(query, k, flt)
    results = with_meta(search.library.catalog, results)
    return Found(by_date(results) if sort == DATE else results, text_wanted=text_wanted)


def browse_photos(
    library: Library, flt: PhotoFilter, limit: int | None = None, newest_first: bool = True
) -> Found:
    """Photos that pass ``flt``, by date taken; no model needed."""
    results, total = list_photos(
        library.catalog, MetaColumns(library.catalog), flt, limit, newest_first
    )
    return Found(results, total)

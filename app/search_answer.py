"""What `photosearch search` and `photosearch list` answer, computed once for both ways
they run: in this process (app/commands/query.py, browse.py) and in the query service of
``watch`` or the window (app/query_handler.py). Same rules, same notes, same good-match
marking."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from app import context
from app.errors import UsageError
from app.messages import localized
from app.photos import RELEVANCE, browse_photos, find_photos
from app.search_output import EMPTY_LIBRARY, FILTERED_OUT
from app.translation import N_, _
from index.library import Library
from index.photo_filter import PhotoFilter
from index.query import Query, QueryError, parse_query
from index.search import SearchResult, SearchService
from index.text_index import TextIndex


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    images: tuple[str, ...] = ()
    k: int = 10
    good_only: bool = False
    text_only: bool = False


@dataclass
class Answer:
    results: list[SearchResult]
    empty: str = EMPTY_LIBRARY  # what to print when there are no results (a message id)
    notes: list[str] = field(default_factory=list)  # one line each, for stderr
    total: int | None = None  # `list`: how many photos pass the filters in all


def parse_request(request: SearchRequest) -> Query:
    """The query, or :class:`UsageError` with the line the command line prints."""
    if request.k < 1:
        raise UsageError(_("-k must be at least 1"))
    if not request.text.strip() and not request.images:
        if request.text:
            raise UsageError(
                _('the text query is empty: describe the photo, e.g. "a dog on the beach"')
            )
        raise UsageError(_("give a text query, --image FILE, or both"))
    for path in request.images:
        if not os.path.isfile(path):
            raise UsageError(_("no such image file: {path}").format(path=path))
    try:
        query = parse_query(request.text, list(request.images))
    except QueryError as exc:
        raise UsageError(localized(exc)) from None
    if request.text_only and not query.is_plain_text:
        raise UsageError(_("--text-only needs a plain text query (no --image, + or -)"))
    return query


def towers_for(query: Query) -> tuple[str, ...]:
    """The encoder towers this query needs."""
    return tuple(t for t, used in (("image", query.images), ("text", query.texts)) if used)


def answer(
    search: SearchService,
    request: SearchRequest,
    query: Query,
    flt: PhotoFilter | None = None,
    sort: str = RELEVANCE,
) -> Answer:
    flt = flt or PhotoFilter()
    out = Answer([], EMPTY_LIBRARY if flt.is_empty() else FILTERED_OUT)
    try:
        found = find_photos(search, query, request.text, request.k, flt, sort, request.text_only)
    except QueryError as exc:
        raise UsageError(localized(exc)) from None
    out.results = found.results
    if found.text_wanted:
        out.empty = N_("no photo holds that text")
        reason = context.text_unavailable_reason()
        if reason and not TextIndex(search.library.catalog).has_text():
            out.notes.append(reason)
    note = context.query_language_note(search.encoder, request.text)
    if note:
        out.notes.append(note)
    if request.good_only:
        out.results = [r for r in out.results if r.good]
        out.empty = N_("no good matches")
    return out


def check_limit(limit: int) -> None:
    if limit < 0:
        raise UsageError(_("--limit must be 0 (all) or more"))


def listing(library: Library, flt: PhotoFilter, limit: int, oldest_first: bool) -> Answer:
    """`list`: up to ``limit`` photos (0: all) that pass ``flt``, by date taken."""
    check_limit(limit)
    found = browse_photos(library, flt, limit or None, not oldest_first)
    empty = EMPTY_LIBRARY if flt.is_empty() else FILTERED_OUT
    return Answer(found.results, empty, total=found.total)

"""What `photosearch search` answers, computed once for both ways it runs: in this process
(app/commands/query.py) and in the query service of ``watch`` or the window
(app/query_handler.py). Same rules, same notes, same good-match marking."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from app import context
from app.errors import UsageError
from app.photos import RELEVANCE, find_photos
from app.search_output import EMPTY_LIBRARY
from app.translation import N_, _
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
        raise UsageError(str(exc)) from None
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
    out = Answer([], EMPTY_LIBRARY if flt.is_empty() else "no photos pass the filters")
    try:
        found = find_photos(search, query, request.text, request.k, flt, sort, request.text_only)
    except QueryError as exc:
        raise UsageError(str(exc)) from None
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

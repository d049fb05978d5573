"""`search`: find photos by a query expression, example images, or both.

When ``watch`` or the window runs, app/query_client.py answers every search through its
query service before this module is even imported; this is the in-process search (and
the fallback).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.search_args import add_search_arguments
from app.search_output import GOOD_END, NO_GOOD, date_label, print_notes, print_results
from app.translation import _

if TYPE_CHECKING:  # the search itself is imported when it runs: other commands need none of it
    from app.search_answer import SearchRequest

__all__ = ["GOOD_END", "NO_GOOD", "date_label", "register", "run_search"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "search",
        help=_("search the library by text, by image, or both"),
        description=_(
            'Query expressions: "beach + sunset - people", "2:dog + beach";'
            " quote a phrase to keep a + or - in it as text: '\"salt + pepper\" - kitchen'."
            " --image adds an example photo (several allowed; with a text both count)."
        ),
    )
    add_search_arguments(p)
    p.set_defaults(func=run_search)


def request_from_args(args: argparse.Namespace) -> SearchRequest:
    from app.search_answer import SearchRequest

    return SearchRequest(args.text, tuple(args.image), args.k, args.good_only, args.text_only)


def run_search(args: argparse.Namespace) -> int:
    from app import context
    from app.errors import CommandError
    from app.filter_options import filter_from_args
    from app.search_answer import answer, parse_request, towers_for
    from app.text_vector_cache import TextVectorCache

    request = request_from_args(args)
    query = parse_request(request)
    flt = filter_from_args(args)
    with context.open_library(args.library, writable=False) as library:
        if library.binding is None:
            raise CommandError(
                _("the library is empty; index a folder first: photosearch index DIR")
            )
        encoder = context.library_encoder(
            library, args.model, args.weights, device=args.device, towers=towers_for(query)
        )
        search = context.make_search(library, TextVectorCache(encoder))
        found = answer(search, request, query, flt, args.sort)
    print_notes(found.notes)
    print_results(found.results, args.json, found.empty, dated=args.sort == "date")
    return 0

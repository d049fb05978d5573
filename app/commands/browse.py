"""`list`: the photos that pass filters, by date taken (no query, no model).

When ``watch`` or the window runs, app/query_client.py answers it through the query
service before this module is even imported; this is the in-process listing (and the
fallback)."""

from __future__ import annotations

import argparse

from app.search_args import add_list_arguments
from app.search_output import print_listing
from app.translation import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "list",
        help=_("list photos by date, with filters"),
        description=_("e.g. photosearch list --place Paris --after 2024; newest first."),
    )
    add_list_arguments(p)
    p.set_defaults(func=run_list)


def run_list(args: argparse.Namespace) -> int:
    from app import context  # imported when it runs: other commands need none of it
    from app.filter_options import filter_from_args
    from app.search_answer import check_limit, listing

    check_limit(args.limit)
    flt = filter_from_args(args)
    with context.open_library(args.library, writable=False) as library:
        found = listing(library, flt, args.limit, args.oldest_first)
    print_listing(found.results, args.json, found.empty, found.total)
    return 0

"""`list`: the photos that pass filters, by date taken (no query, no model)."""

from __future__ import annotations

import argparse
import json
import sys

from app import context
from app.commands.query import date_label
from app.errors import UsageError
from app.filter_options import add_filter_options, filter_from_args
from app.photos import browse_photos
from app.translation import _
from index.paths import display

DEFAULT_LIMIT = 200
RANKING = ("rank", "score", "good")  # a search's fields: a listing ranks nothing


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "list",
        help=_("list photos by date, with filters"),
        description=_("e.g. photosearch list --place Paris --after 2024; newest first."),
    )
    p.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=_("at most N (default {limit}; 0: all)").format(limit=DEFAULT_LIMIT),
    )
    p.add_argument("--oldest-first", action="store_true", help=_("oldest photos first"))
    p.add_argument("--json", action="store_true", help=_("print a JSON array (with metadata)"))
    add_filter_options(p)
    p.set_defaults(func=run_list)


def run_list(args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise UsageError(_("--limit must be 0 (all) or more"))
    flt = filter_from_args(args)
    with context.open_library(args.library, writable=False) as library:
        found = browse_photos(library, flt, args.limit or None, not args.oldest_first)
    results = found.results
    if args.json:
        listed = [{k: v for k, v in r.as_dict().items() if k not in RANKING} for r in results]
        print(json.dumps(listed, indent=2, ensure_ascii=False))
        return 0
    if not results:
        print(
            _("no photos pass the filters")
            if not flt.is_empty()
            else _("no photos in the library yet")
        )
        return 0
    for r in results:
        meta = r.meta
        where = (meta.place or "") if meta else ""
        camera = (meta.camera or "") if meta else ""
        extras = "  ".join(x for x in (where, camera) if x)
        print(f"{date_label(r)}  {display(r.path)}" + (f"  [{extras}]" if extras else ""))
    if found.total is not None and found.total > len(results):
        print(
            _("showing {shown} of {total}; --limit 0 lists all").format(
                shown=len(results), total=found.total
            ),
            file=sys.stderr,
        )
    return 0

"""`search`: find photos by a query expression, example images, or both."""

from __future__ import annotations

import argparse
import json
import os
import sys

from app import context
from app.errors import CommandError, UsageError
from app.filter_options import add_filter_options, filter_from_args
from app.photos import SORTS, find_photos
from app.translation import N_, _
from index.paths import display
from index.query import Query, QueryError, parse_query
from index.search import SearchResult
from index.text_index import TextIndex

NO_GOOD = N_("no good matches; closest photos:")
GOOD_END = N_("---- good matches end here ----")


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
    p.add_argument(
        "text", nargs="?", default="", help=_('what you remember, e.g. "a dog on the beach"')
    )
    p.add_argument(
        "--image", metavar="FILE", action="append", default=[], help=_("add an example photo")
    )
    p.add_argument("-k", type=int, default=10, metavar="N", help=_("number of results (10)"))
    p.add_argument("--good-only", action="store_true", help=_("show only the good matches"))
    p.add_argument(
        "--text-only",
        action="store_true",
        help=_("only photos whose text holds the words (text read from photos)"),
    )
    p.add_argument(
        "--sort", choices=SORTS, default="relevance", help="order of the results (relevance)"
    )
    p.add_argument("--json", action="store_true", help=_("print a JSON array"))
    add_filter_options(p)
    p.set_defaults(func=run_search)


def _parse(args: argparse.Namespace) -> Query:
    if not args.text.strip() and not args.image:
        if args.text:
            raise UsageError(
                _('the text query is empty: describe the photo, e.g. "a dog on the beach"')
            )
        raise UsageError(_("give a text query, --image FILE, or both"))
    for path in args.image:
        if not os.path.isfile(path):
            raise UsageError(_("no such image file: {path}").format(path=path))
    try:
        query = parse_query(args.text, args.image)
    except QueryError as exc:
        raise UsageError(str(exc)) from None
    if args.text_only and not query.is_plain_text:
        raise UsageError(_("--text-only needs a plain text query (no --image, + or -)"))
    return query


def run_search(args: argparse.Namespace) -> int:
    if args.k < 1:
        raise UsageError(_("-k must be at least 1"))
    query = _parse(args)
    flt = filter_from_args(args)
    empty = _("no photos in the library yet") if flt.is_empty() else "no photos pass the filters"
    with context.open_library(args.library, writable=False) as library:
        if library.binding is None:
            raise CommandError(
                _("the library is empty; index a folder first: photosearch index DIR")
            )
        towers = tuple(t for t, used in (("image", query.images), ("text", query.texts)) if used)
        encoder = context.library_encoder(
            library, args.model, args.weights, device=args.device, towers=towers
        )
        try:
            found = find_photos(
                library, encoder, query, args.text, args.k, flt, args.sort, args.text_only
            )
        except QueryError as exc:
            raise UsageError(str(exc)) from None
        results = found.results
        if found.text_wanted:
            empty = _("no photo holds that text")
            reason = context.text_unavailable_reason()
            if reason and not TextIndex(library.catalog).has_text():
                print(_("note: {note}").format(note=reason), file=sys.stderr)
    note = context.query_language_note(encoder, args.text)
    if note:
        print(_("note: {note}").format(note=note), file=sys.stderr)
    if args.good_only:
        results = [r for r in results if r.good]
        empty = _("no good matches")
    print_results(results, args.json, empty, dated=args.sort == "date")
    return 0


def date_label(result: SearchResult) -> str:
    """ "2024-07-14 10:03" (a "~" marks a file time: the photo states no date)."""
    meta = result.meta
    iso = meta.taken_iso() if meta else None
    if meta is None or iso is None:
        return "????-??-?? ??:??"
    return iso[:16].replace("T", " ") + ("~" if meta.date_source == "file" else " ")


def print_results(
    results: list[SearchResult], as_json: bool, empty: str | None = None, dated: bool = False
) -> None:
    if as_json:
        print(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
        return
    if not results:
        print(empty or _("no photos in the library yet"))
        return
    if not results[0].good:
        print(_(NO_GOOD))
    for i, r in enumerate(results):
        if i and results[i - 1].good and not r.good:
            print(_(GOOD_END))
        text = getattr(r, "text", None)
        line = f"{r.rank:3d}  {r.score:6.3f}  " + (f"{date_label(r)}  " if dated else "")
        line += display(r.path)
        print(line + ("  " + _("[text: {text}]").format(text=text) if text else ""))

"""`search`: find photos by a query expression, example images, or both."""

from __future__ import annotations

import argparse
import json
import os
import sys

from app import context
from app.errors import CommandError, UsageError
from app.translation import N_, _
from index.paths import display
from index.query import Query, QueryError, parse_query
from index.search import SearchResult
from index.text_search import holds_every_word

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
    p.add_argument("--json", action="store_true", help=_("print a JSON array"))
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
    empty = _("no photos in the library yet")
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
            if query.is_plain_text:  # CLIP fused with the text read from photos
                search = context.make_text_search(library, encoder)
                results = search.search(args.text, args.k, text_only=args.text_only)
                results = search.service.mark_good(query, results, holds_every_word)
                if search.wants_text(args.text, args.text_only):
                    empty = _("no photo holds that text")
                    reason = context.text_unavailable_reason()
                    if reason and not search.text_index.has_text():
                        print(_("note: {note}").format(note=reason), file=sys.stderr)
            else:
                results = context.make_search(library, encoder).by_query(query, args.k)
        except QueryError as exc:
            raise UsageError(str(exc)) from None
    note = context.query_language_note(encoder, args.text)
    if note:
        print(_("note: {note}").format(note=note), file=sys.stderr)
    if args.good_only:
        results = [r for r in results if r.good]
        empty = _("no good matches")
    print_results(results, args.json, empty)
    return 0


def print_results(results: list[SearchResult], as_json: bool, empty: str | None = None) -> None:
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
        line = f"{r.rank:3d}  {r.score:6.3f}  {display(r.path)}"
        print(line + ("  " + _("[text: {text}]").format(text=text) if text else ""))

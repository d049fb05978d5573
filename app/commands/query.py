"""`search`: find photos by text or by an example image."""

from __future__ import annotations

import argparse
import json
import os
import sys

from app import context
from app.errors import CommandError, UsageError
from index.paths import display
from index.search import SearchResult


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="search the library by text or by image")
    p.add_argument("text", nargs="?", help='what you remember, e.g. "a dog on the beach"')
    p.add_argument("--image", metavar="FILE", help="find photos similar to this image")
    p.add_argument("-k", type=int, default=10, metavar="N", help="number of results (10)")
    p.add_argument(
        "--text-only",
        action="store_true",
        help="only photos whose text holds the words (text read from photos)",
    )
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=run_search)


def run_search(args: argparse.Namespace) -> int:
    if (args.text is None) == (args.image is None):
        raise UsageError("give either a text query or --image FILE")
    if args.text is not None and not args.text.strip():
        raise UsageError('the text query is empty: describe the photo, e.g. "a dog on the beach"')
    if args.k < 1:
        raise UsageError("-k must be at least 1")
    if args.image and args.text_only:
        raise UsageError("--text-only needs a text query, not --image")
    if args.image and not os.path.isfile(args.image):
        raise UsageError(f"no such image file: {args.image}")
    with context.open_library(args.library, writable=False) as library:
        if library.binding is None:
            raise CommandError("the library is empty; index a folder first: photosearch index DIR")
        towers = ("image",) if args.image else ("text",)
        encoder = context.library_encoder(
            library, args.model, args.weights, device=args.device, towers=towers
        )
        empty = "no photos in the library yet"
        if args.image:
            results = context.make_search(library, encoder).by_image(args.image, args.k)
        else:
            search = context.make_text_search(library, encoder)
            results = search.search(args.text, args.k, text_only=args.text_only)
            if search.wants_text(args.text, args.text_only):
                empty = "no photo holds that text"
                reason = context.text_unavailable_reason()
                if reason and not search.text_index.has_text():
                    print(f"note: {reason}", file=sys.stderr)
    print_results(results, args.json, empty)
    return 0


def print_results(
    results: list[SearchResult], as_json: bool, empty: str = "no photos in the library yet"
) -> None:
    if as_json:
        print(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
        return
    if not results:
        print(empty)
    for r in results:
        text = getattr(r, "text", None)
        line = f"{r.rank:3d}  {r.score:6.3f}  {display(r.path)}"
        print(line + (f"  [text: {text}]" if text else ""))

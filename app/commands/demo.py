"""`demo`: render captioned demo scenes, index them with the demo model, show searches.

Works with no network: the demo model's weights ship in assets/.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app import context
from app.commands.indexing import index_folders
from app.errors import CommandError, UsageError
from app.summaries import index_summary
from app.translation import _
from engine.registry import DEMO_MODELS, best_demo_model, is_demo, parse_source
from index.folders import add_folder

EXAMPLE_QUERIES = (
    "a red circle",
    "two blue squares",
    "a yellow star on a striped background",
    "a green triangle left of a red circle",
)


def _marks() -> tuple[str, str]:
    """Check and cross marks for a result's caption, plain ASCII where the console lacks them."""
    try:
        "✓✗".encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return "+", "-"
    return "✓", "✗"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help=_("render demo photos, index them and show example searches"))
    p.add_argument("dir", metavar="DIR", help=_("folder to write the demo photos into"))
    p.add_argument("--count", type=int, default=500, metavar="N", help=_("scenes to render (500)"))
    p.add_argument("--seed", type=int, default=0, help=_("which demo scenes to render (0)"))
    p.set_defaults(func=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from engine.demo.scenes.folder import write_demo_folder
    from engine.demo.scenes.matching import caption_satisfies

    if args.count < 1:
        raise UsageError(_("--count must be at least 1"))
    directory = Path(os.path.abspath(os.path.expanduser(args.dir)))
    if directory.exists() and not directory.is_dir():
        raise UsageError(_("not a folder: {path}").format(path=args.dir))
    model = args.model or best_demo_model()
    spec = parse_source(model, args.weights)
    if not (is_demo(spec) or spec.is_sparse):
        names = " or ".join(DEMO_MODELS)
        raise CommandError(
            _("the demo scenes only make sense with --model {names}").format(names=names)
        )
    print(
        _("rendering {count} demo photos into {path} ...").format(count=args.count, path=directory)
    )
    rows = write_demo_folder(directory, args.count, seed=args.seed, featured=EXAMPLE_QUERIES)
    captions = dict(rows)
    with context.open_library(args.library, writable=True) as library:
        encoder = context.library_encoder(library, model, args.weights, device=args.device)
        summary = index_folders(library, lambda: encoder, [add_folder(library, str(directory))])
        print(index_summary(summary))
        service = context.make_search(library, encoder)
        yes, no = _marks()
        for query in EXAMPLE_QUERIES:
            matching = sum(caption_satisfies(c, query) for _, c in rows)
            match_note = _("({matching} of {count} photos match)").format(
                matching=matching, count=len(rows)
            )
            print(f'\nphotosearch search "{query}"   {match_note}')
            for r in service.by_text(query, 3):
                name = os.path.relpath(r.path, directory)
                caption = captions.get(name, "")
                mark = yes if caption and caption_satisfies(caption, query) else no
                print(f"  {r.rank}  {r.score:.3f}  {mark} {name:<14} {caption}")
    print("\n" + _("captions of every photo: {path}").format(path=directory / "captions.csv"))
    return 0

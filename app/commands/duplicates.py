"""`duplicates`: groups of near-identical photos, the best copy of each first."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from app.translation import _, ngettext
from index.duplicates import DEFAULT_THRESHOLD

if TYPE_CHECKING:
    from index.duplicates import DuplicateGroup


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "duplicates",
        help=_("find near-identical photos (bursts, re-saved, resized copies), best copy first"),
    )
    p.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        metavar="T",
        help=_("cosine similarity from which two photos count as copies ({default})").format(
            default=DEFAULT_THRESHOLD
        ),
    )
    p.add_argument("--json", action="store_true", help=_("print a JSON array of groups"))
    p.set_defaults(func=run_duplicates)


def run_duplicates(args: argparse.Namespace) -> int:
    from tqdm import tqdm  # imported when it runs: other commands need none of it

    from app import context
    from app.errors import CommandError, UsageError
    from index.duplicates import find_duplicates

    if not 0 < args.threshold <= 1:
        raise UsageError(_("--threshold must be more than 0 and at most 1"))
    with context.open_library(args.library, writable=False) as library:
        if library.binding is None:
            raise CommandError(
                _("the library is empty; index a folder first: photosearch index DIR")
            )
        with tqdm(
            total=len(library.store),
            desc=_("comparing"),
            unit=_("photo"),
            file=sys.stderr,
            disable=None,
            mininterval=0.5,
        ) as bar:
            groups = find_duplicates(
                library, args.threshold, progress=lambda done, _total: bar.update(done - bar.n)
            )
    print_groups(groups, args.json)
    return 0


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def print_groups(groups: list[DuplicateGroup], as_json: bool) -> None:
    if as_json:
        out = [{"best": g.best.path, "copies": [c.as_dict() for c in g.copies]} for g in groups]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return
    if not groups:
        print(_("no near-duplicates found"))
        return
    spare = sum(len(g.others) for g in groups)
    print(
        ngettext(
            "{count} group of near-duplicates; {spare} extra copies could go",
            "{count} groups of near-duplicates; {spare} extra copies could go",
            len(groups),
        ).format(count=len(groups), spare=spare)
    )
    for number, group in enumerate(groups, 1):
        print(
            "\n"
            + _("group {number}: {count} copies").format(number=number, count=len(group.copies))
        )
        for i, c in enumerate(group.copies):
            mark = _("keep") if i == 0 else f"{c.similarity:.3f}"
            print(f"  {mark:>5}  {c.width}x{c.height}  {_size(c.size):>8}  {c.path}")

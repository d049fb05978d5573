"""The arguments of `photosearch search`, declared once: the full command line and the
query-service client's fast path (which must not import the model) both use them."""

from __future__ import annotations

import argparse

from app.translation import _

NO_SERVICE_ENV = "PHOTOSEARCH_NO_SERVICE"  # set (to anything but "" or "0"): search in-process


def add_search_arguments(p: argparse.ArgumentParser) -> None:
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
    p.add_argument(
        "--no-service",
        action="store_true",
        help=_(
            "search in this process even when `watch` or the window can answer (env {env}=1)"
        ).format(env=NO_SERVICE_ENV),
    )

"""The arguments of `photosearch search` and `photosearch list`, declared once: the full
command line and the query-service client's fast path (which must not import the model,
nor even the catalog) both use them."""

from __future__ import annotations

import argparse
import os

from app.translation import N_, _

NO_SERVICE_ENV = "PHOTOSEARCH_NO_SERVICE"  # set (to anything but "" or "0"): search in-process
RELEVANCE, DATE = "relevance", "date"
SORTS = (RELEVANCE, DATE)
DEFAULT_LIMIT = 200  # `list`

# (option, metavar, help); each option's value travels to the query service as typed
_FILTERS = (
    ("--after", "DATE", N_("taken in or after DATE: 2024, 2024-06, 2024-07-14")),
    ("--before", "DATE", N_("taken before DATE (--before 2024-09: up to August)")),
    ("--folder", "DIR", N_("only photos in DIR (any depth)")),
    ("--place", "NAME", N_("city, region or country (from GPS), e.g. Paris")),
    ("--camera", "NAME", N_("camera make or model, e.g. Pixel, Canon")),
    ("--type", "TYPE", N_("file type(s): jpeg, heic, png, raw, dng, ... (comma-separated)")),
    ("--orientation", "O", N_("landscape, portrait or square")),
    ("--min-size", "PX", N_("shorter side at least PX pixels")),
)
FILTER_KEYS = tuple(option[2:].replace("-", "_") for option, _m, _h in _FILTERS)


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
        "--sort", choices=SORTS, default=RELEVANCE, help=_("order of the results (relevance)")
    )
    _add_no_service(p)
    add_filter_options(p)


def add_list_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=_("at most N (default {limit}; 0: all)").format(limit=DEFAULT_LIMIT),
    )
    p.add_argument("--oldest-first", action="store_true", help=_("oldest photos first"))
    p.add_argument("--json", action="store_true", help=_("print a JSON array (with metadata)"))
    _add_no_service(p)
    add_filter_options(p)


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(_("filters (combinable; all must hold)"))
    for option, metavar, text in _FILTERS:
        group.add_argument(option, metavar=metavar, help=_(text))


def filter_values(args: argparse.Namespace) -> dict[str, str]:
    """The filter options given, as typed (a folder made absolute: the service runs
    elsewhere)."""
    values = {k: getattr(args, k) for k in FILTER_KEYS if getattr(args, k) is not None}
    if "folder" in values:
        values["folder"] = os.path.abspath(os.path.expanduser(values["folder"]))
    return values


def _add_no_service(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-service",
        action="store_true",
        help=_(
            "search in this process even when `watch` or the window can answer (env {env}=1)"
        ).format(env=NO_SERVICE_ENV),
    )

"""The filter options every search and listing takes, and the filter they build."""

from __future__ import annotations

import argparse

from app.errors import UsageError
from app.translation import N_, _
from index.photo_filter import (
    FilterError,
    PhotoFilter,
    check_range,
    parse_date,
    parse_folder,
    parse_min_size,
    parse_orientation,
    parse_types,
)


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(_("filters (combinable; all must hold)"))
    group.add_argument(
        "--after", metavar="DATE", help=_("taken in or after DATE: 2024, 2024-06, 2024-07-14")
    )
    group.add_argument(
        "--before", metavar="DATE", help=_("taken before DATE (--before 2024-09: up to August)")
    )
    group.add_argument("--folder", metavar="DIR", help=_("only photos in DIR (any depth)"))
    group.add_argument(
        "--place", metavar="NAME", help=_("city, region or country (from GPS), e.g. Paris")
    )
    group.add_argument(
        "--camera", metavar="NAME", help=_("camera make or model, e.g. Pixel, Canon")
    )
    group.add_argument(
        "--type",
        metavar="TYPE",
        help=_("file type(s): jpeg, heic, png, raw, dng, ... (comma-separated)"),
    )
    group.add_argument("--orientation", metavar="O", help=_("landscape, portrait or square"))
    group.add_argument("--min-size", metavar="PX", help=_("shorter side at least PX pixels"))


def filter_from_args(args: argparse.Namespace) -> PhotoFilter:
    """The filter the options name; a bad value is a one-line usage error."""
    try:
        flt = PhotoFilter(
            after=parse_date(args.after) if args.after else None,
            before=parse_date(args.before) if args.before else None,
            folder=parse_folder(args.folder) if args.folder else None,
            place=_text(args.place, "--place"),
            camera=_text(args.camera, "--camera"),
            types=parse_types(args.type) if args.type else (),
            orientation=parse_orientation(args.orientation) if args.orientation else None,
            min_side=parse_min_size(args.min_size) if args.min_size else None,
        )
        check_range(flt)
    except FilterError as exc:
        raise UsageError(filter_error_text(exc)) from None
    return flt


def filter_error_text(exc: FilterError) -> str:
    """The one-line reason a filter value was refused, in the user's language."""
    return _(exc.template).format(**exc.fields)


def _text(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    if not value.strip():
        raise FilterError(N_("{option} needs a name"), option=option)
    return value.strip()

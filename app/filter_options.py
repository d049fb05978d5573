"""The filter a search or listing's options name (declared in app/search_args.py)."""

from __future__ import annotations

import argparse

from app.errors import UsageError
from app.search_args import FILTER_KEYS
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


def filter_error_text(exc: FilterError, **names: str) -> str:
    """The one-line reason a filter value was refused, in the user's language; ``names``
    replaces the command line's option names (``after="From"``) for another front end."""
    fields = {key: names.get(key, value) for key, value in exc.fields.items()}
    return _(exc.template).format(**fields)


def filter_from_values(values: dict[str, str]) -> PhotoFilter:
    """The filter from the options' values as a query-service request carries them."""
    return filter_from_args(argparse.Namespace(**{k: values.get(k) for k in FILTER_KEYS}))


def _text(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    if not value.strip():
        raise FilterError(N_("{option} needs a name"), option=option)
    return value.strip()

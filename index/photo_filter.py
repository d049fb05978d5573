"""Which photos a search or a listing may return: date range, folder, place, camera, type,
orientation, minimum size. All given conditions must hold.

``PhotoFilter`` is a plain value (the CLI and the window build one); ``parse_*`` turn
what a person types into its fields and raise :class:`FilterError` with one line.
"""

from __future__ import annotations

import calendar
import os
import re
from dataclasses import dataclass, fields

from index.error_text import PhrasedError
from index.scanner import RAW_SUFFIXES

ORIENTATIONS = ("landscape", "portrait", "square")
RAW_TYPES = tuple(s[1:] for s in RAW_SUFFIXES)
TYPE_ALIASES = {"jpg": "jpeg", "jpe": "jpeg", "tif": "tiff", "heif": "heic"}
KNOWN_TYPES = ("jpeg", "png", "webp", "heic", "tiff", "gif", "bmp", "raw", *RAW_TYPES)


class FilterError(PhrasedError, ValueError):
    """A filter value that cannot be understood; ``str(err)`` is the one-line reason.

    A front end may show it translated: ``template`` is the English text with named
    fields, ``fields`` their values (app.translations_update extracts the templates).
    """


@dataclass(frozen=True)
class PhotoFilter:
    after: int | None = None  # taken at or after (YYYYMMDDHHMMSS, local time)
    before: int | None = None  # taken before
    folder: str | None = None  # an absolute folder: photos at any depth below it
    place: str | None = None  # part of the city, region or country name (any case)
    camera: str | None = None  # part of the camera's make and model (any case)
    types: tuple[str, ...] = ()  # file types ("jpeg", "heic", "dng"; "raw" is every RAW)
    orientation: str | None = None
    min_side: int | None = None  # the shorter side, in pixels

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, ()) for f in fields(self))


_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_date(text: str) -> int:
    """ "2024", "2024-06" or "2024-07-14" as YYYYMMDDHHMMSS at the start of that period
    (``after``: from then on; ``before``: until then, so ``--before 2024-09`` ends with
    August)."""
    match = _DATE.match(text.strip())
    if not match:
        raise FilterError("not a date: {text} (use 2024, 2024-06 or 2024-07-14)", text=repr(text))
    year, m, d = int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1)
    if not 1 <= m <= 12 or year < 1800 or not 1 <= d <= calendar.monthrange(year, m)[1]:
        raise FilterError("no such date: {text}", text=repr(text))
    return (year * 10000 + m * 100 + d) * 1000000


def parse_types(text: str) -> tuple[str, ...]:
    """ "jpeg", "raw", "heic,png" (aliases jpg, tif, heif)."""
    out: list[str] = []
    for part in text.split(","):
        name = TYPE_ALIASES.get(part.strip().lower().lstrip("."), part.strip().lower().lstrip("."))
        if name not in KNOWN_TYPES:
            raise FilterError(
                "unknown file type: {text} (one of {known})",
                text=repr(part.strip()),
                known=", ".join(KNOWN_TYPES),
            )
        out.append(name)
    return tuple(dict.fromkeys(out))


def parse_orientation(text: str) -> str:
    value = text.strip().lower()
    if value not in ORIENTATIONS:
        raise FilterError(
            "unknown orientation: {text} (landscape, portrait or square)", text=repr(text)
        )
    return value


def parse_min_size(text: str) -> int:
    """ "1000" (pixels on the shorter side)."""
    value = text.strip().lower().removesuffix("px")
    if not value.isdigit() or int(value) < 1:
        raise FilterError(
            "not a size: {text} (pixels on the shorter side, e.g. 1000)", text=repr(text)
        )
    return int(value)


def parse_folder(text: str) -> str:
    path = os.path.abspath(os.path.expanduser(text))
    if not os.path.isdir(path):
        raise FilterError("no such folder: {path}", path=text)
    return path


def expand_types(types: tuple[str, ...]) -> set[str]:
    """The stored file types a ``types`` filter accepts ("raw" stands for every RAW)."""
    out = set(types)
    if "raw" in out:
        out |= set(RAW_TYPES)
    return out


def check_range(flt: PhotoFilter) -> None:
    if flt.after is not None and flt.before is not None and flt.after >= flt.before:
        # the options' names are fields: the window names its own boxes instead
        raise FilterError(
            "{after} must be earlier than {before}", after="--after", before="--before"
        )

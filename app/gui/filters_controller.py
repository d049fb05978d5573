"""The window's filters and sort order: one ``PhotoFilter`` every search and the browsed
listing obey, and whether search results come by relevance or by date.

Values come as the user typed them ("2024-06", "Paris"); a value that cannot be read is a
one-line error (in the user's language, as the command line says it) and leaves the filter
as it was.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.filter_options import filter_error_text
from app.photos import DATE, RELEVANCE
from index.photo_filter import (
    FilterError,
    PhotoFilter,
    check_range,
    parse_date,
    parse_types,
)

FIELDS = ("after", "before", "place", "camera", "folder", "types")


class FiltersController(QObject):
    changed = Signal(object)  # PhotoFilter
    sort_changed = Signal(str)  # RELEVANCE or DATE
    error = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.filter = PhotoFilter()
        self.sort = RELEVANCE

    def set_value(self, field: str, text: str | None) -> bool:
        """Set one filter from what the user typed or chose ("" or None clears it)."""
        text = (text or "").strip()
        try:
            value = _parse(field, text) if text else (() if field == "types" else None)
            new = replace(self.filter, **{field: value})
            check_range(new)
        except FilterError as exc:
            self.error.emit(filter_error_text(exc, **self._box_names()))
            return False
        self._set(new)
        return True

    def _box_names(self) -> dict[str, str]:
        """The filter bar's names for the fields the command line calls --after/--before."""
        return {
            "after": "“{}”".format(QCoreApplication.translate("FilterBar", "From")),
            "before": "“{}”".format(QCoreApplication.translate("FilterBar", "Before")),
        }

    def clear(self, field: str | None = None) -> None:
        """Clear one filter, or all of them."""
        self._set(
            PhotoFilter() if field is None else replace(self.filter, **{field: _empty(field)})
        )

    def set_sort(self, sort: str) -> None:
        if sort in (RELEVANCE, DATE) and sort != self.sort:
            self.sort = sort
            self.sort_changed.emit(sort)

    def _set(self, new: PhotoFilter) -> None:
        if new != self.filter:
            self.filter = new
            self.changed.emit(new)

    def active(self) -> list[tuple[str, str]]:
        """(field, value as shown) of each filter in force, in the bar's order."""
        out = []
        for field in FIELDS:
            value = getattr(self.filter, field)
            if value not in (None, ()):
                out.append((field, _shown(field, value)))
        return out


def _parse(field: str, text: str):
    if field in ("after", "before"):
        return parse_date(text)
    if field == "types":
        return parse_types(text)
    return text  # place, camera, folder: matched as given (folder: a library folder)


def _empty(field: str):
    return () if field == "types" else None


def _shown(field: str, value) -> str:
    if field in ("after", "before"):
        s = f"{value:014d}"
        return f"{s[:4]}-{s[4:6]}-{s[6:8]}".removesuffix("-01").removesuffix("-01")
    if field == "types":
        return ", ".join(value)
    return str(value)

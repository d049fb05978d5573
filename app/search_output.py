"""How `photosearch search` and `photosearch list` print results and notes: one place for
the in-process commands and for answers from the query service, so both print exactly the
same. Light: no model, no numpy (the query-service client imports it)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from app.messages import localized_text
from app.translation import N_, _
from index.paths import display

TYPE_CHECKING = False  # typing itself costs a search through the query service a few ms
if TYPE_CHECKING:
    from typing import Protocol

    class PrintableResult(Protocol):
        rank: int
        score: float
        path: str
        good: bool

        def as_dict(self) -> dict: ...


NO_GOOD = N_("no good matches; closest photos:")
GOOD_END = N_("---- good matches end here ----")
EMPTY_LIBRARY = N_("no photos in the library yet")
FILTERED_OUT = N_("no photos pass the filters")
RANKING = ("rank", "score", "good")  # a search's fields: a listing ranks nothing


def print_notes(notes: Sequence[str]) -> None:
    for note in notes:
        print(_("note: {note}").format(note=localized_text(note)), file=sys.stderr)


def date_label(result) -> str:
    """ "2024-07-14 10:03" (a "~" marks a file time: the photo states no date)."""
    meta = result.meta
    iso = meta.taken_iso() if meta else None
    if meta is None or iso is None:
        return "????-??-?? ??:??"
    return iso[:16].replace("T", " ") + ("~" if meta.date_source == "file" else " ")


def print_results(
    results: Sequence[PrintableResult],
    as_json: bool,
    empty: str = EMPTY_LIBRARY,
    dated: bool = False,
) -> None:
    """``empty``: a message id (N_), translated here, so the query service and this process
    can speak different languages and still print the same."""
    if as_json:
        print(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
        return
    if not results:
        print(_(empty))
        return
    if not results[0].good:
        print(_(NO_GOOD))
    for i, r in enumerate(results):
        if i and results[i - 1].good and not r.good:
            print(_(GOOD_END))
        text = getattr(r, "text", None)
        line = f"{r.rank:3d}  {r.score:6.3f}  " + (f"{date_label(r)}  " if dated else "")
        line += display(r.path)
        print(line + ("  " + _("[text: {text}]").format(text=text) if text else ""))


def print_listing(
    results: Sequence[PrintableResult], as_json: bool, empty: str, total: int | None
) -> None:
    """`list`: one photo a line, by date, with its place and camera; ``total``: how many
    pass the filters in all (a line on stderr says when not all are shown). ``empty``: a
    message id, as for :func:`print_results`."""
    if as_json:
        listed = [{k: v for k, v in r.as_dict().items() if k not in RANKING} for r in results]
        print(json.dumps(listed, indent=2, ensure_ascii=False))
        return
    if not results:
        print(_(empty))
        return
    for r in results:
        meta = r.meta
        where = (meta.place or "") if meta else ""
        camera = (meta.camera or "") if meta else ""
        extras = "  ".join(x for x in (where, camera) if x)
        print(f"{date_label(r)}  {display(r.path)}" + (f"  [{extras}]" if extras else ""))
    if total is not None and total > len(results):
        shown = _("showing {shown} of {total}; --limit 0 lists all")
        print(shown.format(shown=len(results), total=total), file=sys.stderr)

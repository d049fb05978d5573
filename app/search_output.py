"""How `photosearch search` prints results and notes: one place for the in-process search
and for answers from the query service, so both print exactly the same. Light: no model,
no numpy (the query-service client imports it)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from index.paths import display

if TYPE_CHECKING:  # typing's Protocol costs a cold search a few ms
    from typing import Protocol

    class PrintableResult(Protocol):
        rank: int
        score: float
        path: str
        good: bool

        def as_dict(self) -> dict: ...


NO_GOOD = "no good matches; closest photos:"
GOOD_END = "---- good matches end here ----"


def print_notes(notes: Sequence[str]) -> None:
    for note in notes:
        print(f"note: {note}", file=sys.stderr)


def print_results(
    results: Sequence[PrintableResult], as_json: bool, empty: str = "no photos in the library yet"
) -> None:
    if as_json:
        print(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
        return
    if not results:
        print(empty)
        return
    if not results[0].good:
        print(NO_GOOD)
    for i, r in enumerate(results):
        if i and results[i - 1].good and not r.good:
            print(GOOD_END)
        text = getattr(r, "text", None)
        line = f"{r.rank:3d}  {r.score:6.3f}  {display(r.path)}"
        print(line + (f"  [text: {text}]" if text else ""))

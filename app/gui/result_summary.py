"""The line above the results: how many, for what, and how many of them are good matches."""

from __future__ import annotations

import os

from app.gui.search_jobs import IMAGE, SearchOutcome
from index.query_language import language_note

NO_GOOD = "No good matches; closest photos below"


def summary(outcome: SearchOutcome) -> str:
    request = outcome.request
    what = (
        f"photos like {os.path.basename(request.query)}"
        if request.kind == IMAGE
        else f"“{request.query}”"
    )
    n = len(outcome.items)
    good = sum(item.good for item in outcome.items)
    if not n:
        found = "No results"
    elif not good:
        found = NO_GOOD
    elif good == n:
        found = f"{n} good match{'es' if n != 1 else ''}"
    else:
        found = f"{good} good match{'es' if good != 1 else ''}, then the closest photos (dimmed)"
    line = f"{found} for {what} · {outcome.search_s * 1000:.0f} ms"
    note = language_note(request.query) if request.kind != IMAGE else None
    return f"{line} · {note[0].upper()}{note[1:]}" if note else line

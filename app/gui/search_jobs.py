"""Search work done on a worker thread: query, then load the result thumbnails."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from app import context
from app.errors import CommandError
from app.gui.results_model import THUMB_BOX, ResultItem, load_thumbnail
from app.gui.session import Session
from app.gui.translator import number
from app.messages import localized, localized_text
from app.photos import DATE, RELEVANCE
from app.translation import N_, _, ngettext
from engine.images import BadImageError
from index.photo_filter import PhotoFilter
from index.search import by_date

TEXT, IMAGE, IMAGES = "text", "image", "images"  # IMAGES: the query is paths, one a line
TEXT_IMAGE = "text+image"  # the query is the text, then an image path, on two lines
NO_GOOD = N_("No good matches; closest photos below")


@dataclass(frozen=True)
class SearchRequest:
    serial: int  # newer requests win; stale results are dropped
    kind: str  # TEXT or IMAGE
    query: str  # the text, or the image path
    k: int
    box: int = THUMB_BOX  # thumbnail size
    filter: PhotoFilter | None = None  # only the photos it keeps
    sort: str = RELEVANCE  # or DATE: the k best, newest first


@dataclass(frozen=True)
class SearchOutcome:
    request: SearchRequest
    items: list[ResultItem]
    search_s: float
    finished_at: float  # time.perf_counter() when the worker was done
    language_note: str | None = None  # the model cannot read the query's script

    def summary(self) -> str:
        """One line for the results header."""
        request = self.request
        if request.kind == IMAGES:
            count = len(request.query.splitlines())
            what = _("photos like these {count}").format(count=number(count))
        elif request.kind == IMAGE:
            what = _("photos like {name}").format(name=os.path.basename(request.query))
        elif request.kind == TEXT_IMAGE:
            text, path = request.query.split("\n", 1)
            what = _("“{text}” + photos like {name}").format(text=text, name=os.path.basename(path))
        else:
            what = f"“{request.query}”"
        n = len(self.items)
        good = sum(item.good for item in self.items)
        if not n:
            found = _("No results")
        elif not good:
            found = _(NO_GOOD)
        elif good == n:
            found = ngettext("{count} good match", "{count} good matches", n)
            found = found.format(count=number(n))
        else:
            found = ngettext(
                "{count} good match, then the closest photos (dimmed)",
                "{count} good matches, then the closest photos (dimmed)",
                good,
            ).format(count=number(good))
        line = _("{found} for {what} · {ms:.0f} ms").format(
            found=found, what=what, ms=self.search_s * 1000
        )
        note = self.language_note
        return f"{line} · {note[0].upper()}{note[1:]}" if note else line


def run_search(session: Session, request: SearchRequest) -> SearchOutcome:
    start = time.perf_counter()
    flt = request.filter
    if request.kind in (IMAGE, IMAGES, TEXT_IMAGE):
        try:
            if request.kind == TEXT_IMAGE:
                text, path = request.query.split("\n", 1)
                results = session.by_text_and_image(text, path, request.k, flt)
            elif request.kind == IMAGES:
                results = session.by_images(request.query.splitlines(), request.k, flt)
            else:
                results = session.by_image(request.query, request.k, flt)
        except BadImageError as exc:
            name = os.path.basename(request.query.splitlines()[-1])
            raise CommandError(
                _("Cannot find photos like {name}: {reason}").format(
                    name=name, reason=localized(exc)
                )
            ) from None
    else:
        results = session.by_text(request.query, request.k, flt)
    if results:
        results = session.with_meta(results)
    if request.sort == DATE:
        results = by_date(results)
    thumbs_dir = session.library.thumbs_dir if session.library else None
    items = [
        ResultItem(
            r.path,
            r.score,
            r.photo_id,
            load_thumbnail(thumbs_dir, r.photo_id, r.path, request.box),
            getattr(r, "text", None),  # set when the text in the photo matched
            getattr(r, "boxes", ()),
            r.good,
            r.meta.taken or 0 if r.meta is not None else 0,
        )
        for r in results
        if thumbs_dir is not None
    ]
    end = time.perf_counter()
    note = None
    if request.kind == TEXT and session.encoder is not None:
        english = context.query_language_note(session.encoder, request.query)
        note = localized_text(english) if english else None
    return SearchOutcome(request, items, end - start, end, note)

"""Start background indexing: the one place ``photosearch watch`` and the window use.

The service (``index.background``) owns every write to the library on its own thread;
this wires it to the real image decoder and starts it, first job a full rescan that
catches what changed while nothing was watching.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from app.context import decode_photo, read_photo_facts
from app.context import indexer_options as device_options
from app.messages import localized_text
from app.translation import _
from engine.ocr import shared_reader, unavailable_reason
from index.background import IndexCallbacks, IndexingService
from index.library import Library
from index.text_pass import TextPass

if TYPE_CHECKING:
    from engine.encoder import ClipEncoder

log = logging.getLogger("photosearch")


def start_indexing(
    library: Library,
    encoder: ClipEncoder,
    callbacks: IndexCallbacks | None = None,
    *,
    watch: bool = True,
    rescan_s: float | None = None,
    paused: bool = False,
    indexer_options: dict | None = None,
    read_text: bool = True,
) -> IndexingService:
    """``read_text``: also run the OCR pass when no photos wait for their vectors."""
    text_pass = None
    if read_text:
        reason = unavailable_reason()
        if reason is None:
            text_pass = TextPass(library, shared_reader())
        else:
            log.warning(_("note: {note}").format(note=localized_text(reason)))
    service = IndexingService(
        library,
        encoder,
        decode_photo,
        callbacks,
        watch=watch,
        rescan_s=rescan_s,
        indexer_options=device_options(encoder) | (indexer_options or {}),
        text_pass=text_pass,
        read_facts=read_photo_facts,
    )
    if paused:
        service.pause()
    service.start()
    return service

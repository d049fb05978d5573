"""Start the query service for a library whose writer is running (``watch``, the window)."""

from __future__ import annotations

import logging

from app.query_handler import SearchSource, search_handler
from app.query_server import QueryServer
from app.translation import _
from index.library import Library

log = logging.getLogger("photosearch")


def serve_queries(library: Library, current: SearchSource) -> QueryServer | None:
    """Answer other processes' searches; None (and a one-line note) when the endpoint cannot
    be made, since searching in-process still works."""
    try:
        return QueryServer(library.root, search_handler(current)).start()
    except OSError as exc:
        note = _("searches from other processes run without the query service ({reason})")
        log.warning(_("note: {note}").format(note=note.format(reason=exc)))
        return None

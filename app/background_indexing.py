"""Start background indexing: the one place ``photosearch watch`` and the window use.

The service (``index.background``) owns every write to the library on its own thread;
this wires it to the real image decoder and starts it, first job a full rescan that
catches what changed while nothing was watching.
"""

from __future__ import annotations

from engine.encoder import ClipEncoder
from engine.images import load_image
from index.background import IndexCallbacks, IndexingService
from index.library import Library


def start_indexing(
    library: Library,
    encoder: ClipEncoder,
    callbacks: IndexCallbacks | None = None,
    *,
    watch: bool = True,
    rescan_s: float | None = None,
    paused: bool = False,
    indexer_options: dict | None = None,
) -> IndexingService:
    service = IndexingService(
        library,
        encoder,
        load_image,
        callbacks,
        watch=watch,
        rescan_s=rescan_s,
        indexer_options=indexer_options,
    )
    if paused:
        service.pause()
    service.start()
    return service

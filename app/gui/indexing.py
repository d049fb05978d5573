"""Folder indexing for the GUI: the shared background service, watching the folders.

``index.background.IndexingService`` owns every library write on its own thread (add,
remove, rescans, and the watcher's change reports); the GUI only queues requests and
turns the service's callbacks into Qt signals.
"""

from __future__ import annotations

from engine.encoder import ClipEncoder
from engine.images import load_image
from index.background import IndexCallbacks, IndexingService
from index.library import Library

__all__ = ["IndexCallbacks", "IndexingService", "make_indexing_service"]


def make_indexing_service(
    library: Library,
    encoder: ClipEncoder,
    callbacks: IndexCallbacks,
    *,
    watch: bool = True,
    rescan_s: float | None = None,
    indexer_options: dict | None = None,
) -> IndexingService:
    return IndexingService(
        library,
        encoder,
        load_image,
        callbacks,
        watch=watch,
        rescan_s=rescan_s,
        indexer_options=indexer_options,
    )

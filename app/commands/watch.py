"""`watch`: follow the library folders in the foreground and index changes as they happen."""

from __future__ import annotations

import argparse
import logging
import signal
import threading

from app.translation import _

log = logging.getLogger("photosearch")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "watch",
        help=_("follow the library folders and index changes as they happen (Ctrl-C stops)"),
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help=_("folder(s) to add before watching"))
    p.add_argument(
        "--rescan",
        type=float,
        default=None,
        metavar="SECONDS",
        help=_("also rescan every folder this often (a safety net; default: never)"),
    )
    p.set_defaults(func=run_watch)


def run_watch(args: argparse.Namespace) -> int:
    from app import context  # imported when it runs: other commands need none of it
    from app.background_indexing import start_indexing
    from app.errors import CommandError
    from app.query_service import serve_queries
    from app.text_vector_cache import TextVectorCache
    from engine.towers import TOWERS
    from index.folders import add_folder

    folders = context.folder_paths(args.paths)
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        with context.open_library(args.library, writable=True) as library:
            # the text tower too: the query service answers other processes' searches
            encoder = context.library_encoder(
                library, args.model, args.weights, device=args.device, towers=TOWERS
            )
            for path in folders:
                add_folder(library, path)
            if not library.catalog.folders():
                raise CommandError(
                    _(
                        "the library has no folders yet; run: photosearch watch DIR"
                        " (or photosearch index DIR)"
                    )
                )
            encoder.load()
            service = start_indexing(library, encoder, rescan_s=args.rescan)  # logs errors
            search = context.make_search(library, TextVectorCache(encoder))
            queries = serve_queries(library, lambda: search)
            names = ", ".join(f.path for f in library.catalog.folders())
            log.info(_("watching {folders} (Ctrl-C stops)").format(folders=names))
            try:
                while not stop.wait(0.5):
                    pass
            except KeyboardInterrupt:
                pass
            finally:
                log.info(_("stopping: saving the index"))
                if queries is not None:
                    queries.stop()
                service.stop()
                library.save()
    finally:
        signal.signal(signal.SIGTERM, previous)
    log.info(_("stopped"))
    return 0

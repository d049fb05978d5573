"""`index`, `reindex` and `remove`: add folders, rescan them, forget them."""

from __future__ import annotations

import argparse
import os
import sys

from app import context
from app.errors import CommandError, UsageError
from app.progress import ProgressBar
from index.catalog import INDEXED
from index.library import Library
from index.pipeline import IndexSummary
from index.scanner import scan
from index.thumbnails import thumbnail_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("index", help="add folders to the library and index their photos")
    p.add_argument("paths", nargs="+", metavar="PATH", help="photo folder(s) to add")
    p.set_defaults(func=run_index)

    p = sub.add_parser("reindex", help="rescan every library folder")
    p.add_argument("--full", action="store_true", help="re-encode every photo")
    p.set_defaults(func=run_reindex)

    p = sub.add_parser("remove", help="forget a folder and its photos")
    p.add_argument("path", metavar="PATH")
    p.set_defaults(func=run_remove)


def run_index(args: argparse.Namespace) -> int:
    folders = []
    for raw in args.paths:
        path = os.path.abspath(os.path.expanduser(raw))
        if not os.path.isdir(path):
            raise UsageError(f"not a folder: {raw}")
        folders.append(path)
    with context.open_library(args.library, writable=True) as library:
        spec = context.choose_spec(library, args.model, args.weights)
        encoder = context.make_encoder(spec, towers=("image",))
        context.bind(library, encoder)
        rows = [add_folder(library, path) for path in folders]
        summary = index_folders(library, encoder, rows)
    print(summary.line())
    return 0


def run_reindex(args: argparse.Namespace) -> int:
    with context.open_library(args.library, writable=True) as library:
        if not library.catalog.folders():
            raise CommandError(
                "the library has no folders yet; add one with: photosearch index DIR"
            )
        spec = context.choose_spec(library, args.model, args.weights, allow_change=args.full)
        encoder = context.make_encoder(spec, towers=("image",))
        context.bind(library, encoder)
        if args.full:
            library.catalog.mark_pending(library.catalog.ids_with_status(INDEXED))
        summary = index_folders(library, encoder, library.catalog.folders())
    print(summary.line())
    return 0


def run_remove(args: argparse.Namespace) -> int:
    path = os.path.abspath(os.path.expanduser(args.path))
    with context.open_library(args.library, writable=True) as library:
        folder = library.catalog.folder_by_path(path)
        if folder is None:
            raise CommandError(f"not a library folder: {args.path}")
        ids = library.catalog.remove_folder(folder.id)
        if library.binding is not None:
            library.store.remove(ids)
            library.save()
        for photo_id in ids:
            thumbnail_path(library.thumbs_dir, photo_id).unlink(missing_ok=True)
    print(f"removed {path} ({len(ids)} photos)")
    return 0


def add_folder(library: Library, path: str):
    """Add ``path``; a folder inside a library folder is already covered by its parent."""
    catalog = library.catalog
    for folder in catalog.folders():
        if path == folder.path or path.startswith(folder.path.rstrip(os.sep) + os.sep):
            return folder
    row = catalog.add_folder(path)
    children = [f for f in catalog.folders() if f.path.startswith(path.rstrip(os.sep) + os.sep)]
    if children:
        catalog.absorb_folders(row.id, [f.id for f in children])
    return row


def index_folders(library: Library, encoder, folders) -> IndexSummary:
    diff = scan(library.catalog, folders)
    for folder in folders:
        if not os.path.isdir(folder.path):
            print(f"warning: folder is missing (unplugged?): {folder.path}", file=sys.stderr)
    bar = ProgressBar("indexing")
    try:
        summary = context.make_indexer(library, encoder).apply(diff, progress=bar)
    finally:
        bar.close()
    return summary

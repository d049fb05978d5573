"""`index`, `reindex` and `remove`: add folders, rescan them, forget them."""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from app import context
from app.errors import CommandError
from app.folder_exclusions import change_exclusions, check_exclusion_changes
from app.progress import ProgressBar
from app.search_output import print_notes
from app.summaries import index_summary, text_summary
from app.translation import _, ngettext
from index.catalog import INDEXED
from index.folders import add_folder, remove_folder
from index.library import Library
from index.meta_backfill import backfill_meta
from index.offline import is_offline
from index.pipeline import IndexSummary, Progress, apply_without_encoding
from index.scanner import scan
from index.text_pass import TextPassSummary

if TYPE_CHECKING:
    from engine.encoder import ClipEncoder


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("index", help=_("add folders to the library and index their photos"))
    p.add_argument("paths", nargs="+", metavar="PATH", help=_("photo folder(s) to add"))
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="PATTERN",
        help=_(
            "leave out subfolders or files matching PATTERN (a name like @eaDir or *.tmp,"
            " or a path like cache/previews); remembered with the folder; repeatable"
        ),
    )
    p.add_argument(
        "--no-exclude",
        action="append",
        default=[],
        metavar="PATTERN",
        help=_(
            "stop leaving out PATTERN (given before with --exclude): its photos are indexed"
            " again; repeatable"
        ),
    )
    p.set_defaults(func=run_index)

    p = sub.add_parser("reindex", help=_("rescan every library folder"))
    p.add_argument("--full", action="store_true", help=_("re-encode every photo"))
    p.set_defaults(func=run_reindex)

    p = sub.add_parser("remove", help=_("forget a folder and its photos"))
    p.add_argument("path", metavar="PATH")
    p.set_defaults(func=run_remove)


def run_index(args: argparse.Namespace) -> int:
    folders = context.folder_paths(args.paths)
    with context.open_library(args.library, writable=True) as library:
        check_exclusion_changes(library, folders, args.exclude, args.no_exclude)
        encoder_for = _encoder_when_needed(library, args)
        rows = [add_folder(library, path) for path in folders]
        if args.exclude or args.no_exclude:
            rows = [change_exclusions(library, row, args.exclude, args.no_exclude) for row in rows]
        summary = index_folders(library, encoder_for, rows)
        del encoder_for  # the model's memory is free again before the OCR pass loads its own
        print(index_summary(summary))
        fill_metadata(library)
        read_text(library)
    return 0


def run_reindex(args: argparse.Namespace) -> int:
    with context.open_library(args.library, writable=True) as library:
        if not library.catalog.folders():
            raise CommandError(
                _("the library has no folders yet; add one with: photosearch index DIR")
            )
        encoder_for = _encoder_when_needed(library, args, allow_change=args.full)
        if args.full:
            library.catalog.mark_pending(library.catalog.ids_with_status(INDEXED))
        summary = index_folders(library, encoder_for, library.catalog.folders())
        del encoder_for  # as in run_index
        print(index_summary(summary))
        fill_metadata(library)
        read_text(library)
    return 0


def run_remove(args: argparse.Namespace) -> int:
    path = os.path.abspath(os.path.expanduser(args.path))
    with context.open_library(args.library, writable=True) as library:
        removed = remove_folder(library, path)
    if removed is None:
        raise CommandError(_("not a library folder: {path}").format(path=args.path))
    print(
        ngettext(
            "removed {path} ({count} photo)", "removed {path} ({count} photos)", removed
        ).format(path=path, count=removed)
    )
    return 0


def _encoder_when_needed(
    library: Library, args: argparse.Namespace, *, allow_change: bool = False
) -> Callable[[], ClipEncoder]:
    """The library's encoder: made now when the command names a model or the library has
    none yet (a wrong choice fails before the scan), else when a photo is to be encoded,
    so that a rescan with nothing new never loads the model code."""

    def make() -> ClipEncoder:
        return context.library_encoder(
            library,
            args.model,
            args.weights,
            device=args.device,
            towers=("image",),
            allow_change=allow_change,
        )

    if args.model or args.weights or allow_change or library.binding is None:
        encoder = make()
        return lambda: encoder
    return functools.cache(make)


def index_folders(
    library: Library, encoder_for: Callable[[], ClipEncoder], folders
) -> IndexSummary:
    """Scan ``folders`` and apply what changed; ``encoder_for`` is called only when there
    are photos to encode."""
    library.check_store()  # photos a lost or damaged store dropped: queued for this scan
    diff = scan(library.catalog, folders)
    for folder in folders:
        if is_offline(folder):
            print(
                _("warning: folder is offline (drive unplugged?); photos kept: {path}").format(
                    path=folder.path
                ),
                file=sys.stderr,
            )
    if not diff.to_encode():
        return apply_without_encoding(library, diff)
    bar = ProgressBar(_("indexing"))
    try:
        summary = context.make_indexer(library, encoder_for()).apply(diff, progress=bar)
    finally:
        bar.close()
    return summary


def fill_metadata(library: Library) -> None:
    """Dates, places and cameras for photos indexed before the library kept them (headers
    only; resumable)."""
    bar = ProgressBar(_("reading metadata"))
    try:
        backfill_meta(
            library.catalog, context.read_photo_facts, lambda d, t: bar(Progress(d, t, 0, 0.0))
        )
    finally:
        bar.close()


def read_text(library: Library) -> None:
    """The OCR pass, after the vector pass: content search works before text search. When
    every photo's text is read, the OCR engine is not loaded."""
    if context.text_is_read(library):
        print(text_summary(TextPassSummary()))
        return
    text_pass = context.make_text_pass(library)
    if text_pass is None:
        print_notes([context.text_unavailable_reason()])
        return
    bar = ProgressBar(_("reading text"))
    try:
        summary = text_pass.run(progress=bar)
    finally:
        bar.close()
    print(text_summary(summary))

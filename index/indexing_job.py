"""One round of background work: folder adds and removes, then a scan and its indexing.

``index.background.IndexingService`` decides when a round runs (its queue, pause and
stop); this module does the round: it changes the folder list, scans what was asked,
applies the diff with an ``Indexer`` and reports through ``IndexCallbacks``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from index.error_text import N_
from index.folders import add_folder, remove_folder
from index.library import Library
from index.meta_backfill import FactsReader, backfill_meta
from index.pipeline import Decoder, Indexer, IndexSummary, Progress
from index.protocols import Encoder
from index.scanner import ScanDiff, scan, scan_paths

log = logging.getLogger("photosearch.index")

PROGRESS_INTERVAL_S = 0.1  # at most ten progress reports a second
LOG_EACH_LIMIT = 20  # name each file in the log for jobs up to this size


def _ignore(*_args: Any) -> None:
    return None


@dataclass
class IndexCallbacks:
    """What the service reports, on its own thread (keep them short)."""

    progress: Callable[[Progress], None] = _ignore  # throttled
    started: Callable[[frozenset[str]], None] = _ignore  # the folders being indexed
    finished: Callable[[IndexSummary], None] = _ignore
    changed: Callable[[], None] = _ignore  # folders or photo counts changed
    error: Callable[[Exception], None] = _ignore  # the failure (index.error_text.reason reads
    # it as one line); the service goes on
    text_progress: Callable[[Progress], None] = _ignore  # the OCR pass, throttled


@dataclass
class FolderRequest:
    kind: str  # "add" or "remove"
    path: str
    done: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class Round:
    """What was queued when a round began."""

    folders: list[FolderRequest]
    paths: set[str]  # files or folders to re-check
    full: bool  # re-check every folder


class IndexingJob:
    """Runs rounds for one library and encoder; the service's pause and stop events
    are the indexer's, so pausing or stopping reaches a running batch at once."""

    def __init__(
        self,
        library: Library,
        encoder: Encoder,
        decode: Decoder,
        callbacks: IndexCallbacks,
        *,
        paused: threading.Event,
        stopping: threading.Event,
        indexer_options: dict | None = None,
        read_facts: FactsReader | None = None,
    ) -> None:
        self.library = library
        self.read_facts = read_facts  # for the metadata backfill (index.meta_backfill)
        self.encoder = encoder
        self.decode = decode
        self.callbacks = callbacks
        self.paused = paused
        self.stopping = stopping
        self.indexer_options = indexer_options or {}
        self.busy_folders: frozenset[str] = frozenset()

    def run(self, work: Round) -> None:
        paths = set(work.paths)
        for request in work.folders:
            if request.kind == "add":
                row = add_folder(self.library, request.path)
                log.info(N_("watching folder %s"), row.path)
                paths.add(row.path)
            else:
                removed = remove_folder(self.library, request.path)
                if removed is not None:
                    log.info(N_("removed folder %s (%d photos)"), request.path, removed)
            self.callbacks.changed()
        catalog = self.library.catalog
        folders = catalog.folders()
        if work.full:
            diff = scan(catalog, folders)
        elif paths:
            diff = scan_paths(catalog, folders, paths)
        else:
            return
        if not diff.is_empty():
            touched = _folder_ids(diff)
            self._apply(diff, frozenset(f.path for f in folders if f.id in touched))
        if work.full and self.read_facts is not None:
            self._fill_metadata(self.read_facts)

    def _fill_metadata(self, read_facts: FactsReader) -> None:
        """Metadata for photos indexed before the library kept it (headers only)."""
        filled = backfill_meta(self.library.catalog, read_facts, cancelled=self.stopping.is_set)
        if filled:
            log.info(N_("metadata read for %d photos"), filled)
            self.callbacks.changed()

    def _apply(self, diff: ScanDiff, busy: frozenset[str]) -> None:
        if self.stopping.is_set():
            return
        _log_diff(diff)
        indexer = Indexer(
            self.library,
            self.encoder,
            self.decode,
            paused=self.paused,
            cancelled=self.stopping,
            **self.indexer_options,
        )
        self.busy_folders = busy
        self.callbacks.started(busy)
        try:
            summary = indexer.apply(diff, progress=throttled(self.callbacks.progress))
        finally:
            self.busy_folders = frozenset()
        if self.stopping.is_set():
            log.info(N_("indexing stopped; unfinished photos will be indexed next time"))
        log.info(N_("indexed: %s"), summary.line())
        self.callbacks.finished(summary)
        self.callbacks.changed()


def _folder_ids(diff: ScanDiff) -> set[int]:
    """The folders a diff changes (only they are "indexing"; the others stay as they are)."""
    ids = {info.folder_id for info in diff.to_encode()}
    ids.update(info.folder_id for _, info in diff.moved)
    ids.update(row.folder_id for row in diff.deleted)
    ids.update(problem.folder_id for problem in diff.problems)
    return ids


def throttled(report: Callable[[Progress], None]) -> Callable[[Progress], None]:
    """At most one report per PROGRESS_INTERVAL_S, and always the last one; each report
    is a copy (the indexer keeps updating its own)."""
    last = 0.0

    def throttled(state: Progress) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_INTERVAL_S or state.done >= state.total:
            last = now
            report(Progress(state.done, state.total, state.skipped, state.started, state.paused_s))

    return throttled


def _log_diff(diff: ScanDiff) -> None:
    if len(diff.to_encode()) + len(diff.moved) + len(diff.deleted) > LOG_EACH_LIMIT:
        log.info(
            N_("indexing %d photos, %d moved, %d removed"),
            len(diff.to_encode()),
            len(diff.moved),
            len(diff.deleted),
        )
        return
    for info in diff.to_encode():
        log.info(N_("indexing %s"), info.path)
    for row, info in diff.moved:
        log.info(N_("moved %s -> %s"), row.path, info.path)
    for row in diff.deleted:
        log.info(N_("removed %s"), row.path)

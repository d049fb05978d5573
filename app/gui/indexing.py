"""Folder indexing for the GUI: one background thread that owns every library write.

Adding, removing and rescanning folders are queued jobs run one at a time, so the GUI
never writes to the library itself. Between jobs the thread rescans all folders every
``rescan_s`` seconds (polling stands in for a file-system watcher). Progress, completion
and errors leave through plain callbacks; the GUI turns them into Qt signals.

This is the adapter the GUI talks to; a shared background indexing service can replace
the body of this class without changing its interface.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from app import context
from engine.encoder import ClipEncoder
from index.library import Library
from index.pipeline import Indexer, IndexSummary, Progress
from index.scanner import scan
from index.thumbnails import thumbnail_path

log = logging.getLogger("photosearch.gui")

PROGRESS_INTERVAL_S = 0.1  # at most ten progress reports a second reach the GUI


@dataclass
class IndexingCallbacks:
    progress: Callable[[Progress], None] = lambda p: None
    started: Callable[[frozenset[str]], None] = lambda folders: None
    finished: Callable[[IndexSummary], None] = lambda s: None
    changed: Callable[[], None] = lambda: None  # folders or counts changed
    error: Callable[[str], None] = lambda msg: None


@dataclass
class _Job:
    kind: str  # "add", "remove", "rescan"
    path: str | None = None
    done: threading.Event = field(default_factory=threading.Event)


class IndexingService:
    def __init__(
        self,
        library: Library,
        encoder: ClipEncoder,
        callbacks: IndexingCallbacks,
        *,
        rescan_s: float | None = 60.0,
        indexer_options: dict | None = None,
    ) -> None:
        self.library = library
        self.encoder = encoder
        self.callbacks = callbacks
        self.rescan_s = rescan_s
        self.indexer_options = indexer_options or {}
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._paused = threading.Event()
        self._stopping = threading.Event()
        self._indexer: Indexer | None = None
        self._busy: frozenset[str] = frozenset()
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="photosearch-indexing")
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Cancel the current job, finish its checkpoint, and end the thread."""
        self._stopping.set()
        if self._indexer is not None:
            self._indexer.cancelled.set()
        self._jobs.put(None)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    # -- requests (any thread) --------------------------------------------------------
    def add_folder(self, path: str) -> threading.Event:
        return self._submit(_Job("add", os.path.abspath(path)))

    def remove_folder(self, path: str) -> threading.Event:
        return self._submit(_Job("remove", path))

    def rescan(self) -> threading.Event:
        return self._submit(_Job("rescan"))

    def pause(self) -> None:
        self._paused.set()
        if self._indexer is not None:
            self._indexer.paused.set()

    def resume(self) -> None:
        self._paused.clear()
        if self._indexer is not None:
            self._indexer.paused.clear()

    @property
    def paused(self) -> bool:
        return self._paused.is_set()

    @property
    def busy_folders(self) -> frozenset[str]:
        return self._busy

    def _submit(self, job: _Job) -> threading.Event:
        self._jobs.put(job)
        return job.done

    # -- the thread -------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                job = self._jobs.get(timeout=self.rescan_s)
            except queue.Empty:
                job = _Job("rescan")  # periodic catch-up with the disk
            if job is None or self._stopping.is_set():
                break
            try:
                self._do(job)
            except Exception as exc:  # report and keep serving
                log.debug("indexing job failed", exc_info=True)
                from app.gui.workers import error_line

                self.callbacks.error(error_line(exc))
            finally:
                job.done.set()

    def _do(self, job: _Job) -> None:
        catalog = self.library.catalog
        if job.kind == "add":
            from app.commands.indexing import add_folder

            row = add_folder(self.library, job.path or "")
            self.callbacks.changed()
            self._index([row])
        elif job.kind == "remove":
            folder = catalog.folder_by_path(job.path or "")
            if folder is None:
                return
            ids = catalog.remove_folder(folder.id)
            if self.library.binding is not None:
                self.library.store.remove(ids)
                self.library.save()
            for photo_id in ids:
                thumbnail_path(self.library.thumbs_dir, photo_id).unlink(missing_ok=True)
            self.callbacks.changed()
        else:
            self._index(catalog.folders())

    def _index(self, folders) -> None:
        diff = scan(self.library.catalog, folders)
        if not (diff.to_encode() or diff.deleted or diff.moved or diff.problems):
            return
        indexer = context.make_indexer(self.library, self.encoder, **self.indexer_options)
        if self._paused.is_set():
            indexer.paused.set()
        self._indexer = indexer
        self._busy = frozenset(f.path for f in folders)
        self.callbacks.started(self._busy)
        last = 0.0

        def report(state: Progress) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_INTERVAL_S or state.done >= state.total:
                last = now
                self.callbacks.progress(
                    Progress(state.done, state.total, state.skipped, state.started)
                )

        try:
            summary = indexer.apply(diff, progress=report)
        finally:
            self._indexer = None
            self._busy = frozenset()
        self.callbacks.finished(summary)
        self.callbacks.changed()

"""Background indexing: one thread that owns every write to a library.

Used by ``photosearch watch`` and the GUI; plain threads and callables, no Qt::

    service = IndexingService(library, encoder, decode, callbacks=IndexCallbacks(
        progress=on_progress,      # Progress(done, total, skipped, started), throttled
        started=on_started,        # frozenset of library folders being indexed
        finished=on_finished,      # IndexSummary of the job
        changed=on_changed,        # folders or photo counts changed
        error=on_error,            # one-line message (disk full, ...); the service goes on
    ))
    service.start()                # first job: a full rescan (catch offline changes)
    service.rescan(paths)          # files/folders to re-check (None: every folder)
    service.add_folder(path)       # -> threading.Event, set when done
    service.remove_folder(path)    # -> threading.Event
    service.pause(); service.resume()
    service.wait_idle(timeout)     # -> True once nothing is queued or running
    service.stop()                 # finish the current batch's checkpoint, join

With ``watch=True`` a :class:`index.watcher.FolderWatcher` feeds ``rescan`` as files
change. Callbacks run on the service thread: keep them short (the GUI emits a signal).
Searches may run on any thread meanwhile; they see photos as soon as their batch is added.
On Linux the service thread lowers its own scheduling priority (``thread_nice``); the
decode and torch threads it starts inherit it, so interactive searches win the CPU.
A failed job (disk full while saving) is reported through ``error`` and retried after
``retry_s``; the previously saved index stays intact.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from index.folders import add_folder, remove_folder
from index.library import Library
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
    progress: Callable[[Progress], None] = _ignore
    started: Callable[[frozenset[str]], None] = _ignore
    finished: Callable[[IndexSummary], None] = _ignore
    changed: Callable[[], None] = _ignore
    error: Callable[[str], None] = _ignore


@dataclass
class _FolderJob:
    kind: str  # "add" or "remove"
    path: str
    done: threading.Event = field(default_factory=threading.Event)


class IndexingService:
    def __init__(
        self,
        library: Library,
        encoder: Encoder,
        decode: Decoder,
        callbacks: IndexCallbacks | None = None,
        *,
        watch: bool = False,
        rescan_s: float | None = None,
        retry_s: float = 30.0,
        indexer_options: dict | None = None,
        watcher_options: dict | None = None,
        thread_nice: int = 10,
    ) -> None:
        if not library.writable:
            raise ValueError("background indexing needs a writable library")
        self.library = library
        self.encoder = encoder
        self.decode = decode
        self.callbacks = callbacks or IndexCallbacks()
        self.rescan_s = rescan_s
        self.retry_s = retry_s
        self.indexer_options = indexer_options or {}
        self._watch = watch
        self.thread_nice = thread_nice
        self._watcher_options = watcher_options or {}
        self._watcher = None
        self._cond = threading.Condition()
        self._jobs: list[_FolderJob] = []
        self._paths: set[str] = set()
        self._full = False
        self._done_events: list[threading.Event] = []
        self._busy = False
        self._busy_folders: frozenset[str] = frozenset()
        self._stopping = False
        self._paused = threading.Event()
        self._indexer: Indexer | None = None
        self._thread: threading.Thread | None = None
        self._next_periodic: float | None = None
        self.last_error: str | None = None

    # -- lifecycle --------------------------------------------------------------------
    def start(self, full_scan: bool = True) -> None:
        """Start the thread (and the watcher); ``full_scan`` queues a start-up rescan."""
        if self._thread is not None:
            return
        self._stopping = False
        if full_scan:
            self.rescan()
        self._thread = threading.Thread(target=self._run, name="photosearch-indexing")
        self._thread.start()
        if self._watch:
            from index.watcher import FolderWatcher

            self._watcher = FolderWatcher(
                self.library.catalog, self.rescan, **self._watcher_options
            )
            self._watcher.start()

    def stop(self, timeout: float = 60.0) -> None:
        """Stop watching, cancel the current job after its checkpoint, join the thread."""
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        with self._cond:
            self._stopping = True
            if self._indexer is not None:
                self._indexer.cancelled.set()
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> IndexingService:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- requests (any thread) --------------------------------------------------------
    def rescan(self, paths: Iterable[str] | None = None) -> threading.Event:
        """Queue files or folders to re-check against the catalog; None = every folder."""
        done = threading.Event()
        with self._cond:
            if paths is None:
                self._full = True
            else:
                self._paths.update(paths)
            self._done_events.append(done)
            self._cond.notify_all()
        return done

    def add_folder(self, path: str) -> threading.Event:
        return self._submit(_FolderJob("add", path))

    def remove_folder(self, path: str) -> threading.Event:
        return self._submit(_FolderJob("remove", path))

    def _submit(self, job: _FolderJob) -> threading.Event:
        with self._cond:
            self._jobs.append(job)
            self._cond.notify_all()
        return job.done

    def pause(self) -> None:
        self._paused.set()
        indexer = self._indexer
        if indexer is not None:
            indexer.paused.set()

    def resume(self) -> None:
        self._paused.clear()
        indexer = self._indexer
        if indexer is not None:
            indexer.paused.clear()
        with self._cond:
            self._cond.notify_all()

    @property
    def paused(self) -> bool:
        return self._paused.is_set()

    @property
    def busy(self) -> bool:
        with self._cond:
            return self._busy or self._has_work()

    @property
    def busy_folders(self) -> frozenset[str]:
        return self._busy_folders

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until nothing is queued or running; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._busy or self._has_work():
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cond.wait(remaining)
            return True

    # -- the thread -------------------------------------------------------------------
    def _has_work(self) -> bool:
        return bool(self._jobs or self._paths or self._full)

    def _run(self) -> None:
        _lower_thread_priority(self.thread_nice)
        if self.rescan_s:
            self._next_periodic = time.monotonic() + self.rescan_s
        while True:
            with self._cond:
                while not self._stopping and (self._paused.is_set() or not self._has_work()):
                    if self._next_periodic is not None and time.monotonic() >= self._next_periodic:
                        self._full = True
                        self._next_periodic = (
                            time.monotonic() + self.rescan_s if self.rescan_s else None
                        )
                        continue
                    self._cond.wait(self._wait_timeout())
                if self._stopping:
                    break
                jobs, self._jobs = self._jobs, []
                paths, self._paths = self._paths, set()
                full, self._full = self._full, False
                done, self._done_events = self._done_events, []
                self._busy = True
            try:
                self._work(jobs, paths, full)
            except Exception as exc:  # report, keep serving, retry later
                self._report_error(exc)
                with self._cond:
                    self._next_periodic = time.monotonic() + self.retry_s
            finally:
                for job in jobs:
                    job.done.set()
                for event in done:
                    event.set()
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _wait_timeout(self) -> float | None:
        if self._next_periodic is None:
            return None
        return max(0.0, self._next_periodic - time.monotonic())

    def _work(self, jobs: list[_FolderJob], paths: set[str], full: bool) -> None:
        catalog = self.library.catalog
        for job in jobs:
            if job.kind == "add":
                row = add_folder(self.library, job.path)
                log.info("watching folder %s", row.path)
                paths.add(row.path)
            else:
                removed = remove_folder(self.library, job.path)
                if removed is not None:
                    log.info("removed folder %s (%d photos)", job.path, removed)
            self.callbacks.changed()
        folders = catalog.folders()
        if full:
            diff = scan(catalog, folders)
            busy = frozenset(f.path for f in folders)
        elif paths:
            diff = scan_paths(catalog, folders, paths)
            busy = frozenset(f.path for f in folders if any(_within(p, f.path) for p in paths))
        else:
            return
        if not diff.is_empty():
            self._apply(diff, busy)
        self.last_error = None

    def _apply(self, diff: ScanDiff, busy: frozenset[str]) -> None:
        _log_diff(diff)
        indexer = Indexer(self.library, self.encoder, self.decode, **self.indexer_options)
        if self._paused.is_set():
            indexer.paused.set()
        with self._cond:
            if self._stopping:
                return
            self._indexer = indexer
        self._busy_folders = busy
        self.callbacks.started(busy)
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
            self._busy_folders = frozenset()
        if indexer.cancelled.is_set():
            log.info("indexing stopped; unfinished photos will be indexed next time")
        log.info("indexed: %s", summary.line())
        self.callbacks.finished(summary)
        self.callbacks.changed()

    def _report_error(self, exc: Exception) -> None:
        message = str(exc) or type(exc).__name__
        self.last_error = message
        log.error("indexing failed: %s (will retry in %.0f s)", message, self.retry_s)
        log.debug("indexing failure", exc_info=True)
        self.callbacks.error(message)


def _lower_thread_priority(increment: int) -> None:
    """Linux: nice only the calling thread (and threads it creates later)."""
    if increment <= 0 or not hasattr(os, "setpriority"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + increment)
    except OSError:
        pass


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _log_diff(diff: ScanDiff) -> None:
    if len(diff.to_encode()) + len(diff.moved) + len(diff.deleted) > LOG_EACH_LIMIT:
        log.info(
            "indexing %d photos, %d moved, %d removed",
            len(diff.to_encode()),
            len(diff.moved),
            len(diff.deleted),
        )
        return
    for info in diff.to_encode():
        log.info("indexing %s", info.path)
    for row, info in diff.moved:
        log.info("moved %s -> %s", row.path, info.path)
    for row in diff.deleted:
        log.info("removed %s", row.path)

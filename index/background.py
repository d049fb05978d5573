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
``retry_s``; the previously saved index stays intact. This module schedules; what a round
of work does is ``index.indexing_job``.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable

from index.error_text import N_, reason
from index.indexing_job import FolderRequest, IndexCallbacks, IndexingJob, Round, throttled
from index.library import Library
from index.meta_backfill import FactsReader
from index.pipeline import Decoder
from index.protocols import Encoder
from index.text_pass import TextPass

__all__ = ["IndexCallbacks", "IndexingService"]

log = logging.getLogger("photosearch.index")


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
        text_pass: TextPass | None = None,
        read_facts: FactsReader | None = None,
    ) -> None:
        if not library.writable:
            raise ValueError("background indexing needs a writable library")
        self.library = library
        self.callbacks = callbacks or IndexCallbacks()
        self.rescan_s = rescan_s
        self.retry_s = retry_s
        self._watch = watch
        self.thread_nice = thread_nice
        self._watcher_options = watcher_options or {}
        self._watcher = None
        self._cond = threading.Condition()
        self._folders: list[FolderRequest] = []
        self._paths: set[str] = set()
        self._full = False
        self._done_events: list[threading.Event] = []
        self._busy = False
        # The one pause flag and the one stop flag: the running indexer reads them too.
        self._paused = threading.Event()
        self._stopping = threading.Event()
        self._job = IndexingJob(
            library,
            encoder,
            decode,
            self.callbacks,
            paused=self._paused,
            stopping=self._stopping,
            indexer_options=indexer_options,
            read_facts=read_facts,
        )
        # The OCR pass runs when no round is queued and yields as soon as one is.
        self._text_pass = text_pass
        self._text_due = text_pass is not None
        if text_pass is not None:
            text_pass.should_yield = lambda: (
                self._has_work() or self._paused.is_set() or self._stopping.is_set()
            )
        self._thread: threading.Thread | None = None
        self._next_periodic: float | None = None
        self.last_error: str | None = None

    # -- lifecycle --------------------------------------------------------------------
    def start(self, full_scan: bool = True) -> None:
        """Start the thread (and the watcher); ``full_scan`` queues a start-up rescan."""
        if self._thread is not None:
            return
        self._stopping.clear()
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
            self._stopping.set()
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
        return self._submit(FolderRequest("add", path))

    def remove_folder(self, path: str) -> threading.Event:
        return self._submit(FolderRequest("remove", path))

    def _submit(self, request: FolderRequest) -> threading.Event:
        with self._cond:
            self._folders.append(request)
            self._cond.notify_all()
        return request.done

    def pause(self) -> None:
        self._paused.set()

    def resume(self) -> None:
        self._paused.clear()
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
        return self._job.busy_folders

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
        return bool(self._folders or self._paths or self._full)

    def _run(self) -> None:
        _lower_thread_priority(self.thread_nice)
        if self.rescan_s:
            self._next_periodic = time.monotonic() + self.rescan_s
        while True:
            with self._cond:
                while (
                    not self._stopping.is_set()
                    and (self._paused.is_set() or not self._has_work())
                    and not self._text_due_now()
                ):
                    if self._next_periodic is not None and time.monotonic() >= self._next_periodic:
                        self._full = True
                        self._next_periodic = (
                            time.monotonic() + self.rescan_s if self.rescan_s else None
                        )
                        continue
                    self._cond.wait(self._wait_timeout())
                if self._stopping.is_set():
                    break
                if self._paused.is_set() or not self._has_work():
                    self._text_due = False
                    reading_text = True
                else:
                    reading_text = False
            if reading_text:
                self._read_text()
                continue
            with self._cond:
                work = Round(self._folders, self._paths, self._full)
                self._folders, self._paths, self._full = [], set(), False
                done, self._done_events = self._done_events, []
                self._busy = True
            try:
                self._job.run(work)
                self._text_due = self._text_pass is not None
                self.last_error = None
                if not self._has_work():
                    self.library.idle()  # may fold the store's log into a new snapshot
            except Exception as exc:  # report, keep serving, retry later
                self._report_error(exc)
                with self._cond:
                    self._next_periodic = time.monotonic() + self.retry_s
            finally:
                for request in work.folders:
                    request.done.set()
                for event in done:
                    event.set()
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _text_due_now(self) -> bool:
        return self._text_due and not self._paused.is_set()

    def _read_text(self) -> None:
        """The OCR pass, on this (low-priority) thread; new rounds interrupt it."""
        assert self._text_pass is not None
        try:
            summary = self._text_pass.run(progress=throttled(self.callbacks.text_progress))
        except Exception as exc:  # read again after the next round
            self._report_error(exc)
            return
        if self._text_pass.cancelled.is_set():
            self._text_due = True  # yielded to a round or a pause: go on after it
        if summary.read or summary.failed:
            log.info("%s", summary.line())
            self.callbacks.changed()

    def _wait_timeout(self) -> float | None:
        if self._next_periodic is None:
            return None
        return max(0.0, self._next_periodic - time.monotonic())

    def _report_error(self, exc: Exception) -> None:
        message = reason(exc)
        self.last_error = message
        log.error(N_("indexing failed: %s (will retry in %.0f s)"), exc, self.retry_s)
        log.debug("indexing failure", exc_info=True)
        self.callbacks.error(exc)


def _lower_thread_priority(increment: int) -> None:
    """Linux: nice only the calling thread (and threads it creates later)."""
    if increment <= 0 or not hasattr(os, "setpriority"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + increment)
    except OSError:
        pass

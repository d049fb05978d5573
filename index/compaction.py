"""Compaction: fold the vector store's change log into a new snapshot, in the background.

Due when the log has grown past ``BUSY_SHARE`` of the snapshot (checked after each save),
or past ``IDLE_SHARE`` when the writer is idle (the background service between rounds, a
writer closing), so that opening the store replays little. The steps, each crash-safe:

1. Under the store's write lock (the writer waits; queries go on): save pending changes to
   the log, note the log's end, start a separate process (``snapshot_build``) that builds
   the new snapshot from the files: the last snapshot plus the log up to that end, written
   to a temp file, fsynced and checked. This process neither forks nor copies its index,
   so none of its threads (a window's event loop) stops for the write.
2. No lock: wait for that process; the writer goes on appending to the log meanwhile.
3. Under the write lock: a temp log of the records appended since step 1 (fsynced); rename
   the snapshot into place, then the log.

While ``Compactor.defer_while()`` is true (a window's user scrolling or typing), a
compaction waits to start, and a running build is paused (its process stopped) until it is
false again: compaction can always wait, the user should not.

A kill before step 3 leaves only temp files (the next writer removes them; the building
process dies with its parent). A kill between the two renames leaves the new snapshot with
the old log: replaying a log is idempotent per label, and the new snapshot already holds
every change of the old log up to step 1, so the result is the same store.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from index import vector_log
from index.atomic import fsync_dir, fsync_file, temp_path
from index.error_text import N_
from index.snapshot_build import SnapshotBuild

if TYPE_CHECKING:
    from index.vector_store import VectorStore

BUSY_SHARE = 1.0  # while indexing: log bytes / snapshot bytes (bounds the bytes written)
IDLE_SHARE = 0.05  # when idle: keeps the replay on open short
MIN_LOG_BYTES = 4 << 20  # below this a busy writer never compacts (small libraries)
DEFER_POLL_S = 0.05  # how soon a deferred compaction notices the user (a frame or three)

log = logging.getLogger("photosearch.index")


class Compactor:
    def __init__(self, store: VectorStore) -> None:
        self._store = store
        self._thread: threading.Thread | None = None
        self._build: SnapshotBuild | None = None
        self._cancelled = False
        self._failed_at = 0  # log bytes when a compaction last failed (disk full)
        self.completed = 0
        self.writer_waits_s: list[float] = []  # per compaction: how long it held the writer
        self.deferred_s: list[float] = []  # per compaction: how long it waited or was paused
        self.defer_while: Callable[[], bool] = _never

    def due(self, idle: bool) -> bool:
        store = self._store
        if store.read_only or store.log_bytes == 0 or store.log_bytes < 2 * self._failed_at:
            return False
        if idle:
            return store.log_bytes >= IDLE_SHARE * store.snapshot_bytes
        return store.log_bytes >= max(BUSY_SHARE * store.snapshot_bytes, MIN_LOG_BYTES)

    def start_if_due(self, idle: bool) -> None:
        """Start a compaction in a background thread when one is due and none runs."""
        if self.running or not self.due(idle):
            return
        self._thread = threading.Thread(
            target=self._run_reporting, name="photosearch-compaction", daemon=True
        )
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def cancel(self) -> None:
        """Stop a running compaction (its process is killed; the files stay as they were)."""
        self._cancelled = True
        building = self._build
        if building is not None:
            building.kill()
        self.join()
        self._cancelled = False

    def _run_reporting(self) -> None:
        try:
            self.compact()
        except Exception as exc:  # disk full, ...: the saved snapshot and log stay as they were
            if not self._cancelled:
                self._failed_at = self._store.log_bytes
                log.warning(N_("could not compact the vector store: %s"), exc)

    def compact(self) -> None:
        store = self._store
        snapshot_tmp, log_tmp = temp_path(store.path), temp_path(store.log_path)
        deferred = self._wait_until_allowed()
        if self._cancelled:
            return
        try:
            with store.write_lock:
                held = time.perf_counter()
                store.flush()
                start, generation = store.log_end, store.log_generation
                building = self._build = self.start_build(start, snapshot_tmp)
                held = time.perf_counter() - held
            if self._cancelled:  # (cancel may have looked before the build was there)
                building.kill()
            deferred += self._wait_for(building)
            with store.write_lock:
                if store.log_generation != generation:
                    return  # a save wrote a whole snapshot meanwhile: nothing left to fold
                swap = time.perf_counter()
                vector_log.copy_tail(store.log_path, start, store.log_end, log_tmp, store.dim)
                fsync_file(log_tmp)
                os.replace(snapshot_tmp, store.path)
                fsync_dir(store.path.parent)
                store.snapshot_bytes = store.path.stat().st_size
                store.replace_log(log_tmp)
                held += time.perf_counter() - swap
            self.completed += 1
            self.writer_waits_s.append(held)
            self.deferred_s.append(deferred)
        finally:
            self._build = None
            snapshot_tmp.unlink(missing_ok=True)
            log_tmp.unlink(missing_ok=True)

    def _wait_until_allowed(self) -> float:
        """Seconds spent waiting for ``defer_while`` to clear (or for a cancel)."""
        started = time.perf_counter()
        while not self._cancelled and self.defer_while():
            time.sleep(DEFER_POLL_S)
        return time.perf_counter() - started

    def _wait_for(self, building: SnapshotBuild) -> float:
        """Wait for the build while a thread pauses its process as long as ``defer_while``;
        returns the seconds it spent paused."""
        finished = threading.Event()
        paused: list[float] = []
        pauser = threading.Thread(
            target=self._pause_while_deferred,
            args=(building, finished, paused),
            name="photosearch-compaction-pauser",
            daemon=True,
        )
        pauser.start()
        try:
            building.wait()
        finally:
            finished.set()
            pauser.join()
        return sum(paused)

    def _pause_while_deferred(
        self, building: SnapshotBuild, finished: threading.Event, paused: list[float]
    ) -> None:
        paused_at = None
        while not finished.wait(DEFER_POLL_S):
            busy = not self._cancelled and self.defer_while()
            if busy and paused_at is None:
                building.pause()
                paused_at = time.perf_counter()
            elif not busy and paused_at is not None:
                building.resume()
                paused.append(time.perf_counter() - paused_at)
                paused_at = None
        if paused_at is not None:
            building.resume()
            paused.append(time.perf_counter() - paused_at)

    def start_build(self, upto: int, path: Path) -> SnapshotBuild:
        """Start building the snapshot of the saved state up to log offset ``upto``."""
        store = self._store
        return SnapshotBuild(store.path, store.log_path, upto, path, store.dim)


def _never() -> bool:
    return False

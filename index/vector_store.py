"""The vector store: the hnswlib index (``index/hnsw_index.py``) and its files.

On disk: an hnswlib snapshot plus an append-only change log (``index/vector_log.py``). A
save (checkpoint) appends the changes since the last one to the log and fsyncs it: its cost
is what changed. Compaction (``index/compaction.py``) folds the log into a new snapshot in
a separate process that reads the files (``index/snapshot_build.py``), so nothing stops
this process's threads. Opening loads the snapshot and replays the log; a reader in
another process follows the writer by replaying only the log's new records (``catch_up``).

Snapshots are atomic (temp file, fsync, ``os.replace``) and verified: hnswlib's writer
ignores write errors, so the temp file's length is checked against the format. A failed
save (disk full) raises :class:`StoreSaveError` and leaves the saved state intact.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from index import compaction, vector_log
from index.atomic import atomic_target, fsync_dir, fsync_file, temp_path
from index.disk_space import DISK_FULL_ERRNOS, disk_full
from index.error_text import N_, Phrase
from index.hnsw_index import (
    ADD_CHUNK,
    DEFAULT_EF_CONSTRUCTION,
    DEFAULT_EF_SEARCH,
    DEFAULT_M,
    MIN_CAPACITY,
    REPLAY_CHUNK,
    TEXT_EF_SEARCH,
    HnswIndex,
)
from index.store_files import VectorStoreError
from index.vector_log import ADD, REMOVE, Change, LogWriter
from index.vector_snapshot import check_index_file

__all__ = [
    "DEFAULT_EF_CONSTRUCTION",
    "DEFAULT_EF_SEARCH",
    "DEFAULT_M",
    "MIN_CAPACITY",
    "TEXT_EF_SEARCH",
    "StoreSaveError",
    "VectorStore",
    "VectorStoreError",
]


class StoreSaveError(VectorStoreError):
    """Saving failed (disk full, I/O error); the previous saved file is intact."""


class VectorStore(HnswIndex):
    def __init__(
        self,
        path: str | Path,
        dim: int,
        *,
        m: int = DEFAULT_M,
        ef_construction: int = DEFAULT_EF_CONSTRUCTION,
        ef_search: int = DEFAULT_EF_SEARCH,
        read_only: bool = False,
    ) -> None:
        path = Path(path)
        self.log_path = vector_log.log_path(path)
        self.read_only = read_only
        self._dirty = False
        # Changes since the last save; None: the next save writes a whole snapshot.
        self._pending: list[Change] | None = None
        self._pending_bytes = 0
        self._log: LogWriter | None = None
        self._log_id: tuple[int, int] | None = None  # (device, inode) of the log replayed
        self._log_pos = 0  # offset after the last record applied
        self.log_generation = 0  # bumped each time the writer starts a new log
        self.compactor = compaction.Compactor(self)
        # Open the log before loading the snapshot: a compaction that replaces both in
        # between then pairs an old log with a newer snapshot, which replays correctly.
        log_file = _open_or_none(self.log_path)
        try:
            super().__init__(path, dim, m, ef_construction, ef_search)
            self.snapshot_bytes = path.stat().st_size if path.exists() else 0
            if log_file is not None and self.snapshot_bytes:
                self._replay_from_start(log_file)
        finally:
            if log_file is not None:
                log_file.close()
        if not read_only:
            self._open_log_writer()

    def _replay_from_start(self, log_file) -> None:
        stat = os.fstat(log_file.fileno())
        self._log_id = (stat.st_dev, stat.st_ino)
        if not vector_log.has_header(log_file.read(vector_log.HEADER_SIZE), self.dim):
            self._log_id = None  # not a log of this store: a writer starts it over
            return
        # Nothing queries the store yet: add in large chunks on every core.
        threads = os.cpu_count() or 1
        self._log_pos = self._replay(log_file, vector_log.HEADER_SIZE, threads, REPLAY_CHUNK)

    def _replay(self, log_file, start: int, threads: int, chunk: int) -> int:
        position = start
        for change, end in vector_log.read_changes(log_file, self.dim, start):
            if self.read_only:
                self._apply_to_tail(change.labels, change.vectors)
            else:
                self.apply(change, chunk, threads)
            position = end
        return position

    def _open_log_writer(self) -> None:
        if not self.path.exists():
            # A log without its snapshot belongs to a lost one: the first save starts over.
            self.log_path.unlink(missing_ok=True)
            self._log_pos, self._pending = 0, None
            return
        self._log = LogWriter(self.log_path, self.dim, self._log_pos)
        self._log_pos = self._log.end
        self._pending = []

    # -- writes -----------------------------------------------------------------------
    def add(self, labels: Iterable[int], vectors: np.ndarray) -> None:
        """Add or replace the vectors of ``labels`` (a re-added label is un-deleted)."""
        labels = np.asarray(list(labels), dtype=np.int64)
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(labels), self.dim)
        if len(labels) == 0:
            return
        with self._write_lock:
            self._insert(labels, vectors, ADD_CHUNK, 1)
            self._record(Change(ADD, labels.copy(), vectors.copy()))

    def remove(self, labels: Iterable[int]) -> None:
        with self._write_lock:
            gone = self._delete(labels)
            if gone:
                self._record(Change(REMOVE, np.asarray(gone, dtype=np.int64)))

    def _record(self, change: Change) -> None:
        self._dirty = True
        if self._pending is None:
            return
        self._pending.append(change)
        self._pending_bytes += change.labels.nbytes + (
            change.vectors.nbytes if change.vectors is not None else 0
        )
        if self._pending_bytes > max(self.snapshot_bytes, compaction.MIN_LOG_BYTES):
            # More changed than the snapshot holds: the next save writes a snapshot instead.
            self._pending, self._pending_bytes = None, 0

    @property
    def dirty(self) -> bool:
        return self._dirty

    @property
    def log_bytes(self) -> int:
        """Bytes of changes in the log, beyond its header (0 without a log)."""
        return max(0, self._log_pos - vector_log.HEADER_SIZE)

    def save(self) -> None:
        """Make every change so far durable; the saved state stays intact on any failure.

        Appends the changes to the log and fsyncs it (or writes a whole snapshot when there
        is none yet), then may start a compaction in the background. Raises
        :class:`StoreSaveError` (with the OS reason, e.g. disk full) when the changes
        cannot be written completely; the store stays dirty so a later save retries.
        """
        self.flush()
        self.compactor.start_if_due(idle=False)

    def flush(self) -> None:
        """``save`` without starting a compaction."""
        with self._write_lock:
            try:
                if self._pending is None or self._log is None:
                    self._write_snapshot()
                elif self._pending:
                    self._log.append(self._pending)
                    self._log_pos = self._log.end
            except OSError as exc:
                raise StoreSaveError(
                    N_("{reason}; the previously saved index is intact"), reason=self._failure(exc)
                ) from exc
            self._pending, self._pending_bytes = [], 0
            self._dirty = False

    def _failure(self, exc: OSError) -> Phrase:
        if exc.errno in DISK_FULL_ERRNOS:
            return disk_full(self.path.parent)
        unsaved = N_("could not save the vector store {name}: {error}")
        return Phrase(unsaved, {"name": self.path.name, "error": exc.strerror or exc})

    def _write_snapshot(self) -> None:
        """Write the whole index from memory as the new snapshot, then start an empty log.

        Only for a first snapshot, after more changes than the snapshot holds (both small
        in a running library: a checkpoint comes every few hundred photos) and when the
        writer closes; compaction builds its snapshot in another process instead. The
        snapshot replaces the old one before the log is emptied: a crash in between
        replays the old log over the new snapshot, which changes nothing the catalog
        claims (a replayed change is one the new snapshot already holds, or belongs to a
        row that is not ``indexed``).
        """
        with atomic_target(self.path) as tmp:
            self.save_file(tmp)
            check_index_file(tmp)
        self.snapshot_bytes = self.path.stat().st_size
        empty_log = temp_path(self.log_path)
        try:
            empty_log.write_bytes(vector_log.header(self.dim))
            fsync_file(empty_log)
            self.replace_log(empty_log)
        finally:
            empty_log.unlink(missing_ok=True)

    # -- for compaction (index/compaction.py) -------------------------------------------
    @property
    def write_lock(self) -> threading.RLock:
        return self._write_lock

    @property
    def log_end(self) -> int:
        assert self._log is not None
        return self._log.end

    def replace_log(self, new_log: Path) -> None:
        """Rename ``new_log`` (complete, fsynced) over the log and append to it from now."""
        if self._log is not None:
            self._log.close()
        os.replace(new_log, self.log_path)
        fsync_dir(self.path.parent)
        self._log = LogWriter(self.log_path, self.dim, self.log_path.stat().st_size)
        self._log_pos = self._log.end
        self.log_generation += 1

    # -- following another process's writes ----------------------------------------------
    def catch_up(self) -> bool:
        """Reader: apply the records the writer appended since the last look.

        Returns False when the log was replaced (a compaction): reopen the store.
        """
        try:
            stat = os.stat(self.log_path)
        except FileNotFoundError:
            return self._log_id is None
        if (stat.st_dev, stat.st_ino) != self._log_id:
            return False
        if stat.st_size <= self._log_pos or self._log_pos < vector_log.HEADER_SIZE:
            return True  # nothing new (the usual case: one stat per look)
        with self._write_lock, open(self.log_path, "rb") as log_file:
            stat = os.fstat(log_file.fileno())
            if (stat.st_dev, stat.st_ino) != self._log_id:
                return False
            self._log_pos = self._replay(log_file, self._log_pos, 1, ADD_CHUNK)
        return True

    def close(self, compact: bool = True) -> None:
        """Writer: stop a running compaction, fold a worthwhile log, close the log.

        A closing writer has the whole index in memory and nothing left to serve: it
        writes the snapshot from there, which takes less than replaying the log again.
        """
        if self._log is None:
            return
        self.compactor.cancel()
        if compact and not self._dirty and self.compactor.due(idle=True):
            try:
                with self._write_lock:
                    self._write_snapshot()
            except OSError as exc:  # disk full, ...: the saved snapshot and log stay
                compaction.log.warning(N_("could not compact the vector store: %s"), exc)
        self._log.close()


def _open_or_none(path: Path):
    try:
        return open(path, "rb")
    except FileNotFoundError:
        return None

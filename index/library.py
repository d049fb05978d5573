"""A library directory: catalog, vector store, thumbnails, the model it belongs to.

Opening a library for writing takes an exclusive lock (one writer at a time; readers
need no lock) and reconciles catalog and vector store, so whatever a crash left
unfinished is re-indexed by the next run. A read-only library follows the writer: it
replays the records the writer's checkpoints append to the store's log, and reloads the
store when a compaction replaces its files.

(Over 300 lines: opening, locking, reconciling and following the writer all act on the
same three files and one lock; split, each part would reach into the others' state.)
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from index import catalog_recovery
from index.atomic import remove_stale_temps
from index.catalog import INDEXED, PENDING, Catalog, CatalogError
from index.catalog_errors import CatalogDamagedError
from index.error_text import N_, VECTORS_REBUILD_HINT, PhrasedError
from index.store_agreement import agrees, record
from index.store_files import VectorStoreError, log_path
from index.write_lock import LockHeld, WriteLock

if TYPE_CHECKING:  # numpy and hnswlib are imported when the store is opened
    from index.vector_store import VectorStore

CATALOG_FILE = "catalog.sqlite3"
VECTORS_FILE = "vectors.hnsw"
LOCK_FILE = "write.lock"
WRITER_FILE = "writer.json"  # who holds the write lock, for the "busy" message
THUMBS_DIR = "thumbs"


log = logging.getLogger("photosearch.index")


class LibraryError(PhrasedError):
    """The library cannot be used as asked; ``str(err)`` is the user-facing line."""


class LibraryBusyError(LibraryError):
    pass


@dataclass(frozen=True)
class ModelBinding:
    """The model a library's vectors were made with."""

    name: str  # as the user typed it: "ViT-B-32", "demo", "/path/x.sparse"
    weights: str | None
    model_id: str  # the vector space; equal ids mean comparable vectors
    dim: int


class Library:
    def __init__(self, root: str | Path, *, writable: bool = True) -> None:
        self.root = Path(root).expanduser().absolute()
        self.writable = writable
        self._lock: WriteLock | None = None
        self._store: VectorStore | None = None
        self._store_signature: tuple | None = None
        self._store_guard = threading.Lock()
        self.user_busy: Callable[[], bool] = lambda: False  # a window's user (yield_to_user)
        if writable:
            self.root.mkdir(parents=True, exist_ok=True)
            if not os.access(self.root, os.W_OK):
                raise LibraryError(
                    "the library {path} is read-only (a read-only disk or no write"
                    " permission): searching works, but indexing needs a writable library",
                    path=self.root,
                )
            # Not thread-bound: the GUI opens a library on a worker thread and closes it on
            # its own thread.
            self._lock = WriteLock(self.root / LOCK_FILE)
            try:
                self._lock.acquire()
            except LockHeld:
                raise LibraryBusyError(
                    "library {path} is being updated by another photosearch process{writer};"
                    " only one can write at a time. Wait for it to finish or stop it (searching"
                    " works meanwhile)",
                    path=self.root,
                    writer=_describe_writer(self.root),
                ) from None
            _record_writer(self.root)
            remove_stale_temps(self.root / VECTORS_FILE)
            remove_stale_temps(log_path(self.root / VECTORS_FILE))
        elif not (self.root / CATALOG_FILE).exists():
            raise LibraryError("no library at {path} yet; index a folder first", path=self.root)
        try:
            self.catalog = self._open_catalog()
        except CatalogError as exc:
            self.close()
            raise LibraryError.from_error(exc) from None

    def _open_catalog(self) -> Catalog:
        path = self.root / CATALOG_FILE
        if not self.writable:
            return Catalog(path, read_only=True)
        if not path.exists():
            _create_catalog(path)
        try:
            catalog = Catalog(path)
        except CatalogDamagedError as exc:
            catalog_recovery.rebuild(path, exc.reason)
            return Catalog(path)
        try:
            catalog.check_integrity()
        except CatalogDamagedError as exc:
            catalog.close()
            catalog_recovery.rebuild(path, exc.reason)
            return Catalog(path)
        return catalog

    # -- model binding ----------------------------------------------------------------
    @property
    def binding(self) -> ModelBinding | None:
        raw = self.catalog.get_meta("model")
        return ModelBinding(**json.loads(raw)) if raw else None

    def bind(self, binding: ModelBinding) -> None:
        """Tie the library to a model; dropping every vector if the model changes."""
        current = self.binding
        if current and current.model_id != binding.model_id:
            self.reset_vectors()
        self.catalog.set_meta("model", json.dumps(binding.__dict__))
        if self.writable:
            # Open (and reconcile) the store now: photos a damaged or missing store lost
            # are queued again before the scan that follows, so one run rebuilds them.
            _ = self.store

    def reset_vectors(self) -> None:
        """Forget every vector (a model change): all photos become pending."""
        self.catalog.mark_pending(self.catalog.ids_with_status(INDEXED))
        if self._store is not None:
            self._store.close(compact=False)
        self._store = None
        path = self.root / VECTORS_FILE
        log_path(path).unlink(missing_ok=True)  # first: a log never outlives its snapshot
        path.unlink(missing_ok=True)

    # -- vector store -----------------------------------------------------------------
    @property
    def store(self) -> VectorStore:
        if self._store is not None and (self.writable or self._store_current()):
            return self._store
        with self._store_guard:
            if self._store is None or (not self.writable and not self._store_current()):
                self._store = self._open_store()
        return self._store

    def check_store(self) -> None:
        """Writer: make sure catalog and store agree before a scan, so that the photos a lost
        or damaged store dropped are queued again and the scan encodes them. The store is
        loaded for it only when they may not (:mod:`index.store_agreement`)."""
        assert self.writable
        if self._store is None and not agrees(self.catalog, self.root / VECTORS_FILE):
            _ = self.store

    def _open_store(self) -> VectorStore:
        from index.vector_store import VectorStore

        binding = self.binding
        if binding is None:
            raise LibraryError("the library has no model yet; index a folder first")
        path = self.root / VECTORS_FILE
        signature = _file_signature(path)
        missing = N_("the vector store is missing; encoding its %d photos again")
        problem: tuple | None = None if signature else (missing,)
        try:
            store = VectorStore(path, binding.dim, read_only=not self.writable)
        except VectorStoreError as exc:
            if not self.writable:
                raise LibraryError(
                    "{error}; {hint}", error=exc, hint=VECTORS_REBUILD_HINT
                ) from None
            # An unreadable vector file is rebuilt from the photos, never a dead end.
            kept = self.root / (VECTORS_FILE + ".corrupt")
            os.replace(path, kept)
            log_path(path).unlink(missing_ok=True)
            unreadable = N_(
                "the vector store cannot be read (%s); it was kept as %s; encoding its %d photos"
                " again"
            )
            problem = (unreadable, exc, kept.name)
            store = VectorStore(path, binding.dim)
        self._store_signature = signature
        if self.writable:
            store.compactor.defer_while = self.user_busy
            self._store = store
            _, requeued = self.reconcile()
            if problem and requeued:
                log.warning(*problem, requeued)
        elif problem and self.catalog.count(INDEXED):
            raise LibraryError(
                "the vector store {path} is missing, so {count} photos cannot be searched; {hint}",
                path=path,
                count=self.catalog.count(INDEXED),
                hint=VECTORS_REBUILD_HINT,
            )
        return store

    def _store_current(self) -> bool:
        """Read-only mode: is the store loaded still the writer's (after replaying its log)?"""
        assert self._store is not None
        if _file_signature(self.root / VECTORS_FILE) != self._store_signature:
            return False
        return self._store.catch_up()

    def reconcile(self) -> tuple[int, int]:
        """Make catalog and store agree; returns (orphan vectors dropped, rows re-queued).

        A pending row keeps its vector: it is being re-encoded (``reindex --full``, a
        changed photo) and its old vector answers searches until the new one replaces it.
        """
        store = self._store
        assert store is not None
        indexed = set(self.catalog.ids_with_status(INDEXED))
        labels = store.labels()
        orphans = labels - indexed - set(self.catalog.ids_with_status(PENDING))
        missing = indexed - labels
        if orphans:
            store.remove(orphans)
            store.save()
        if missing:
            self.catalog.mark_pending(missing)
        return len(orphans), len(missing)

    def _agrees(self) -> bool:
        """Would :meth:`reconcile` change nothing? (every indexed photo has its vector, and
        every vector is an indexed or a pending photo's)"""
        assert self._store is not None
        indexed = set(self.catalog.ids_with_status(INDEXED))
        labels = self._store.labels()
        return indexed <= labels and labels - indexed <= set(self.catalog.ids_with_status(PENDING))

    def save(self) -> None:
        if self._store is not None and self._store.dirty:
            self._store.save()

    def yield_to_user(self, busy: Callable[[], bool]) -> None:
        """Writer: while ``busy()`` (a window's user scrolling or typing), compactions wait
        and pause, for the store open now and any opened later, and indexing decodes one
        photo at a time (index.pipeline)."""
        self.user_busy = busy
        if self._store is not None:
            self._store.compactor.defer_while = busy

    def idle(self) -> None:
        """The writer has nothing queued: compact the store's log in the background if due."""
        if self._store is not None and self.writable:
            self._store.compactor.start_if_due(idle=True)

    @property
    def thumbs_dir(self) -> Path:
        return self.root / THUMBS_DIR

    def close(self) -> None:
        if self._store is not None and self.writable:
            try:
                agreed = self._agrees()
            except CatalogError:  # the close goes on; the next writer reconciles
                agreed = False
            self._store.close()
            if agreed:
                record(self.catalog, self.root / VECTORS_FILE)
        if getattr(self, "catalog", None) is not None:
            if self._lock is not None and self._lock.is_locked:  # open for writing
                catalog_recovery.write_record(self.root, self.catalog)
            self.catalog.close()
        if self._lock is not None and self._lock.is_locked:
            (self.root / WRITER_FILE).unlink(missing_ok=True)
            self._lock.release()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _file_signature(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _record_writer(root: Path) -> None:
    info = {"pid": os.getpid(), "command": " ".join(os.path.basename(a) for a in sys.argv[:2])}
    try:
        (root / WRITER_FILE).write_text(json.dumps(info))
    except OSError:
        pass  # only used to word the "busy" message


def _describe_writer(root: Path) -> str:
    try:
        info = json.loads((root / WRITER_FILE).read_text())
        return f" (pid {int(info['pid'])})"
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def _create_catalog(path: Path) -> None:
    """Create the catalog beside its final name, then rename it into place.

    A reader that opens the library meanwhile never sees a file without its tables.
    """
    tmp = path.with_name(path.name + ".new")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    Catalog(tmp).close()
    os.replace(tmp, path)

"""A library directory: catalog, vector store, thumbnails, the model it belongs to.

Opening a library for writing takes an exclusive lock (one writer at a time; readers
need no lock) and reconciles catalog and vector store, so whatever a crash left
unfinished is re-indexed by the next run.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from index.catalog import INDEXED, Catalog, CatalogError
from index.vector_store import VectorStore, VectorStoreError

CATALOG_FILE = "catalog.sqlite3"
VECTORS_FILE = "vectors.hnsw"
LOCK_FILE = "write.lock"
THUMBS_DIR = "thumbs"


class LibraryError(Exception):
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
        self._lock: FileLock | None = None
        self._store: VectorStore | None = None
        if writable:
            self.root.mkdir(parents=True, exist_ok=True)
            self._lock = FileLock(str(self.root / LOCK_FILE), timeout=0)
            try:
                self._lock.acquire()
            except Timeout:
                raise LibraryBusyError(
                    f"library {self.root} is being updated by another photosearch process;"
                    " wait for it to finish (searching works meanwhile)"
                ) from None
        elif not (self.root / CATALOG_FILE).exists():
            raise LibraryError(f"no library at {self.root} yet; index a folder first")
        try:
            self.catalog = Catalog(self.root / CATALOG_FILE, read_only=not writable)
        except CatalogError as exc:
            self.close()
            raise LibraryError(str(exc)) from None

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

    def reset_vectors(self) -> None:
        """Forget every vector (a model change): all photos become pending."""
        self.catalog.mark_pending(self.catalog.ids_with_status(INDEXED))
        self._store = None
        path = self.root / VECTORS_FILE
        if path.exists():
            path.unlink()

    # -- vector store -----------------------------------------------------------------
    @property
    def store(self) -> VectorStore:
        if self._store is None:
            binding = self.binding
            if binding is None:
                raise LibraryError("the library has no model yet; index a folder first")
            try:
                self._store = VectorStore(self.root / VECTORS_FILE, binding.dim)
            except VectorStoreError as exc:
                if not self.writable:
                    raise LibraryError(str(exc)) from None
                # An unreadable vector file is rebuilt from the photos, never a dead end.
                os.replace(self.root / VECTORS_FILE, self.root / (VECTORS_FILE + ".corrupt"))
                self._store = VectorStore(self.root / VECTORS_FILE, binding.dim)
            if self.writable:
                self.reconcile()
        return self._store

    def reconcile(self) -> tuple[int, int]:
        """Make catalog and store agree; returns (orphan vectors dropped, rows re-queued)."""
        store = self._store
        assert store is not None
        indexed = set(self.catalog.ids_with_status(INDEXED))
        labels = store.labels()
        orphans = labels - indexed
        missing = indexed - labels
        if orphans:
            store.remove(orphans)
            store.save()
        if missing:
            self.catalog.mark_pending(missing)
        return len(orphans), len(missing)

    def save(self) -> None:
        if self._store is not None and self._store.dirty:
            self._store.save()

    @property
    def thumbs_dir(self) -> Path:
        return self.root / THUMBS_DIR

    def close(self) -> None:
        if getattr(self, "catalog", None) is not None:
            self.catalog.close()
        if self._lock is not None and self._lock.is_locked:
            self._lock.release()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

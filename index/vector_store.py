"""The hnswlib vector store: labels are catalog ids, cosine similarity on unit vectors.

hnswlib is not safe for concurrent ``add_items``/``knn_query`` and ``resize_index``, so
one lock guards the index. Saves are atomic: write a temp file, fsync, ``os.replace``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path

import hnswlib
import numpy as np

from index.atomic import atomic_target

# Defaults from the M / ef_construction / ef sweep in bench/scale.py (docs/BENCHMARKS.md).
DEFAULT_M = 16
DEFAULT_EF_CONSTRUCTION = 100
DEFAULT_EF_SEARCH = 64
GROWTH = 1.2
MIN_CAPACITY = 1024


class VectorStoreError(Exception):
    """The vector file cannot be used; ``str(err)`` is the user-facing reason."""


class VectorStore:
    def __init__(
        self,
        path: str | Path,
        dim: int,
        *,
        m: int = DEFAULT_M,
        ef_construction: int = DEFAULT_EF_CONSTRUCTION,
        ef_search: int = DEFAULT_EF_SEARCH,
    ) -> None:
        self.path = Path(path)
        self.dim = dim
        self.ef_search = ef_search
        self._lock = threading.RLock()
        self._index = hnswlib.Index(space="ip", dim=dim)
        self._live: set[int] = set()
        self._dirty = False
        if self.path.exists():
            self._load()
        else:
            self._index.init_index(
                max_elements=MIN_CAPACITY, M=m, ef_construction=ef_construction, random_seed=100
            )
        self._index.set_ef(ef_search)

    def _load(self) -> None:
        try:
            self._index.load_index(str(self.path), allow_replace_deleted=False)
        except (RuntimeError, ValueError) as exc:
            raise VectorStoreError(f"cannot read vector store {self.path}: {exc}") from None
        if self._index.dim != self.dim:
            raise VectorStoreError(
                f"vector store {self.path} holds {self._index.dim}-d vectors, expected {self.dim}"
            )
        # get_ids_list includes deleted labels; only live ones can be fetched.
        self._live = set(self._live_among([int(x) for x in self._index.get_ids_list()]))

    def _live_among(self, labels: list[int]) -> list[int]:
        live: list[int] = []
        chunks = [labels[i : i + 4096] for i in range(0, len(labels), 4096)]
        while chunks:
            chunk = chunks.pop()
            try:
                self._index.get_items(chunk)
                live.extend(chunk)
            except RuntimeError:  # a deleted label in the chunk: split it
                if len(chunk) > 1:
                    half = len(chunk) // 2
                    chunks += [chunk[:half], chunk[half:]]
        return live

    # -- queries ----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._live)

    def __contains__(self, label: int) -> bool:
        return label in self._live

    def labels(self) -> set[int]:
        with self._lock:
            return set(self._live)

    @property
    def capacity(self) -> int:
        return self._index.get_max_elements()

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Nearest ``k`` per query row: (labels, cosine similarities), best first.

        ``k`` is capped at the number of live vectors; hnswlib throws when it cannot
        find ``k`` (possible with many deleted elements), so retry with a larger ef.
        """
        queries = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        with self._lock:
            k = min(k, len(self._live))
            if k <= 0:
                empty = np.zeros((len(queries), 0))
                return empty.astype(np.int64), empty.astype(np.float32)
            ef = max(self.ef_search, k)
            while True:
                self._index.set_ef(ef)
                try:
                    labels, distances = self._index.knn_query(queries, k=k)
                    break
                except RuntimeError:
                    if ef >= self._index.get_current_count():
                        raise
                    ef = min(ef * 4, self._index.get_current_count())
            self._index.set_ef(self.ef_search)
        return labels.astype(np.int64), (1.0 - distances).astype(np.float32)

    def get(self, labels: Iterable[int]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._index.get_items(list(labels)), dtype=np.float32)

    # -- writes -----------------------------------------------------------------------
    def add(self, labels: Iterable[int], vectors: np.ndarray) -> None:
        """Add or replace the vectors of ``labels`` (a re-added label is un-deleted)."""
        labels = np.asarray(list(labels), dtype=np.int64)
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(labels), self.dim)
        if len(labels) == 0:
            return
        with self._lock:
            needed = self._index.get_current_count() + len(labels)
            if needed > self.capacity:
                self._index.resize_index(max(int(self.capacity * GROWTH), needed))
            self._index.add_items(vectors, labels, num_threads=1)
            self._live.update(int(label) for label in labels)
            self._dirty = True

    def remove(self, labels: Iterable[int]) -> None:
        with self._lock:
            for label in labels:
                label = int(label)
                if label in self._live:
                    self._index.mark_deleted(label)
                    self._live.discard(label)
                    self._dirty = True

    @property
    def dirty(self) -> bool:
        return self._dirty

    def save(self) -> None:
        """Write the index atomically; the previous file stays intact on any failure."""
        with self._lock:
            with atomic_target(self.path) as tmp:
                self._index.save_index(str(tmp))
            self._dirty = False


def remove_store_file(path: str | Path) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass

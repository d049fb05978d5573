"""The in-memory hnswlib index of the vector store: labels are catalog ids, cosine
similarity on unit vectors (``index/vector_store.py`` adds the files).

hnswlib is not safe for concurrent ``add_items``/``knn_query`` and ``resize_index``. Two
locks: ``_lock`` guards the index against concurrent mutation (held by queries and, briefly,
by each add/remove), ``_write_lock`` serialises the mutators (and, in the store, saves and
the short steps of compaction). Writing a snapshot only reads the index, so queries keep
running meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

import hnswlib
import numpy as np

from index.flat_vectors import FlatVectors
from index.store_files import VectorStoreError
from index.vector_log import ADD, Change
from index.vector_snapshot import live_labels_in_file

# Defaults: the smallest M / ef_construction / ef that keep recall@10 >= 0.99 at 1M in the
# bench.scale sweep. Text queries sit across the modality gap, far from the image vectors,
# and need a wider search. Figures: docs/BENCHMARKS.md, "Scale: a million photos".
DEFAULT_M = 16
DEFAULT_EF_CONSTRUCTION = 100
DEFAULT_EF_SEARCH = 192
TEXT_EF_SEARCH = 768
GROWTH = 1.2
MIN_CAPACITY = 1024
ADD_CHUNK = 8  # vectors added per hold of the query lock
REPLAY_CHUNK = 4096  # per hold while nothing queries yet (opening, compaction's process)


class HnswIndex:
    def __init__(self, path: Path, dim: int, m: int, ef_construction: int, ef_search: int):
        self.path = path
        self.dim = dim
        self.ef_search = ef_search
        self._lock = threading.RLock()
        self._write_lock = threading.RLock()
        self._index = hnswlib.Index(space="ip", dim=dim)
        self._live: set[int] = set()
        self._tail: FlatVectors | None = None  # a reader's replayed log, searched exactly
        if path.exists():
            self._load()
        else:
            self._index.init_index(
                max_elements=MIN_CAPACITY, M=m, ef_construction=ef_construction, random_seed=100
            )
        self._index.set_ef(ef_search)

    @classmethod
    def load(cls, path: Path, dim: int) -> HnswIndex:
        """The index saved at ``path`` (its M and ef_construction come from the file)."""
        return cls(path, dim, DEFAULT_M, DEFAULT_EF_CONSTRUCTION, DEFAULT_EF_SEARCH)

    def save_file(self, path: Path) -> None:
        """hnswlib's whole file (no fsync). It holds Python's GIL throughout: every thread of
        this process stops for as long as the index is large."""
        self._index.save_index(str(path))

    def _load(self) -> None:
        try:
            self._index.load_index(str(self.path), allow_replace_deleted=False)
        except (RuntimeError, ValueError) as exc:
            raise VectorStoreError(
                "cannot read vector store {path}: {error}", path=self.path, error=exc
            ) from None
        if self._index.dim != self.dim:
            raise VectorStoreError(
                "vector store {path} holds {dim}-d vectors, expected {expected}",
                path=self.path,
                dim=self._index.dim,
                expected=self.dim,
            )
        live = live_labels_in_file(self.path, self._index.get_current_count())
        if live is None:
            # get_ids_list includes deleted labels; only live ones can be fetched.
            live = self._live_among([int(x) for x in self._index.get_ids_list()])
        self._live = set(live)

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

    def search(
        self, vectors: np.ndarray, k: int, ef: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Nearest ``k`` per query row: (labels, cosine similarities), best first.

        ``ef`` widens (or narrows) the search for this call only (default: ``ef_search``).
        ``k`` is capped at the number of live vectors. A reader's replayed log (``_tail``)
        is searched exactly and merged in.
        """
        queries = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        with self._lock:
            k = min(k, len(self._live))
            in_graph = len(self._live) - len(self._tail or ())
            labels, sims = self._knn(queries, min(k, in_graph), ef)
            if self._tail:
                tail_labels, tail_sims = self._tail.search(queries, k)
                labels = np.concatenate([labels, tail_labels], axis=1)
                sims = np.concatenate([sims, tail_sims], axis=1)
                best = np.argsort(-sims, axis=1, kind="stable")[:, :k]
                labels = np.take_along_axis(labels, best, axis=1)
                sims = np.take_along_axis(sims, best, axis=1)
        return labels.astype(np.int64), sims.astype(np.float32)

    def _knn(self, queries: np.ndarray, k: int, ef: int | None) -> tuple[np.ndarray, np.ndarray]:
        """hnswlib throws when it cannot find ``k`` (possible with many deleted elements),
        so retry with a larger ef."""
        if k <= 0:
            empty = np.zeros((len(queries), 0))
            return empty.astype(np.int64), empty.astype(np.float32)
        ef = max(ef or self.ef_search, k)
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

    def search_filtered(
        self, vector: np.ndarray, k: int, accept: np.ndarray, ef: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Nearest ``k`` among labels whose entry in the boolean array ``accept`` is set
        (hnswlib's filtered search: rejected nodes are walked, never returned). Raises
        ``RuntimeError`` when the graph search finds fewer than ``k``."""
        query = np.atleast_2d(np.asarray(vector, dtype=np.float32))
        size = len(accept)

        def allowed(label: int) -> bool:
            return label < size and bool(accept[label])

        with self._lock:
            self._index.set_ef(max(ef, k))
            try:
                labels, distances = self._index.knn_query(query, k=k, filter=allowed)
            finally:
                self._index.set_ef(self.ef_search)
        return labels[0].astype(np.int64), (1.0 - distances[0]).astype(np.float32)

    def get(self, labels: Iterable[int]) -> np.ndarray:
        labels = [int(label) for label in labels]
        with self._lock:
            if not self._tail:
                return np.asarray(self._index.get_items(labels), dtype=np.float32)
            out = np.empty((len(labels), self.dim), dtype=np.float32)
            in_graph = [i for i, label in enumerate(labels) if label not in self._tail]
            if in_graph:
                out[in_graph] = self._index.get_items([labels[i] for i in in_graph])
            for i, label in enumerate(labels):
                if label in self._tail:
                    out[i] = self._tail.get(label)
            return out

    def apply(self, change: Change, chunk: int, threads: int) -> None:
        """Replay one change of the log into the graph."""
        if change.kind == ADD:
            self._insert(change.labels, change.vectors, chunk, threads)
        else:
            self._delete(change.labels)

    def _insert(self, labels: np.ndarray, vectors: np.ndarray, chunk: int, threads: int) -> None:
        with self._write_lock:
            needed = self._index.get_current_count() + len(labels)
            if needed > self.capacity:
                with self._lock:
                    self._index.resize_index(max(int(self.capacity * GROWTH), needed))
            # Small chunks keep each hold of the query lock short (searches interleave).
            for start in range(0, len(labels), chunk):
                part = labels[start : start + chunk]
                with self._lock:
                    self._index.add_items(vectors[start : start + chunk], part, num_threads=threads)
                    self._live.update(int(label) for label in part)

    def _delete(self, labels: Iterable[int]) -> list[int]:
        gone = []
        with self._write_lock, self._lock:
            for label in labels:
                label = int(label)
                if label in self._live:
                    self._index.mark_deleted(label)
                    self._live.discard(label)
                    gone.append(label)
        return gone

    def _apply_to_tail(self, labels: np.ndarray, vectors: np.ndarray | None) -> None:
        """Reader: add (``vectors`` given) or remove ``labels`` in the exactly searched tail,
        leaving the graph alone but for marking the copies it superseded."""
        with self._lock:
            if self._tail is None:
                self._tail = FlatVectors(self.dim)
            tail = self._tail
            for label in labels.tolist():
                if label in self._live and label not in tail:
                    self._index.mark_deleted(label)  # superseded (or removed) by the log
                elif label in tail and vectors is None:
                    tail.remove(label)
                if vectors is None:
                    self._live.discard(label)
            if vectors is not None:
                tail.put(labels, vectors)
                self._live.update(labels.tolist())

"""The true top-k among the photos a filter keeps, whatever share of the library that is.

Three ways, chosen by how many photos pass (bench.filters measures each at every share):
- few (at most ``EXACT_LIMIT``): an exact scan, their vectors against the query; exact by
  construction, and cheaper than a graph walk that must step over most of the library;
- a large share: the unfiltered nearest, ``OVERFETCH`` times as many as the share that
  passes should hold k of, then filtered. hnswlib does it all in C++; its filtered walk
  asks a Python callback about every node it visits, which cost several times more at 5%;
- in between (the over-fetch would be too wide), and whenever the over-fetch holds fewer
  than k that pass: hnswlib's filtered walk, which keeps collecting until it holds ``ef``
  accepted labels. Should it find fewer than k, the exact scan answers instead.
"""

from __future__ import annotations

import math

import numpy as np

from index.meta_columns import positions
from index.vector_file import saved_vectors
from index.vector_store import VectorStore

EXACT_LIMIT = 20_000
OVERFETCH = 2  # unfiltered candidates fetched per result wanted, over the share that passes
OVERFETCH_LIMIT = 5_000  # wider than this, the filtered walk is cheaper


def top_k_among(
    store: VectorStore, vector: np.ndarray, allowed: np.ndarray, k: int, ef: int
) -> tuple[np.ndarray, np.ndarray]:
    """(labels, cosine scores), best first, of the ``k`` nearest among ``allowed`` ids."""
    if len(allowed) == 0 or k <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    if len(allowed) <= EXACT_LIMIT:
        return exact_among(store, vector, allowed, k)
    k = min(k, len(allowed))
    fetch = math.ceil(OVERFETCH * k * len(store) / len(allowed))
    if fetch <= OVERFETCH_LIMIT:
        found = overfetched(store, vector, allowed, k, min(fetch, len(store)), ef)
        if found is not None:
            return found
    accept = np.zeros(int(allowed.max()) + 1, dtype=bool)
    accept[allowed] = True
    try:
        return store.search_filtered(vector, k, accept, ef)
    except RuntimeError:  # the walk found fewer than k: be exact instead
        return exact_among(store, vector, allowed, k)


def overfetched(
    store: VectorStore, vector: np.ndarray, allowed: np.ndarray, k: int, fetch: int, ef: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """The best k that pass among the ``fetch`` nearest; None when fewer than k pass."""
    labels, scores = store.search(vector, fetch, ef=max(ef, fetch))
    labels, scores = labels[0], scores[0]
    passing = np.flatnonzero(positions(allowed, labels)[1])[:k]
    return (labels[passing], scores[passing]) if len(passing) == k else None


def exact_among(
    store: VectorStore, vector: np.ndarray, allowed: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    labels, vectors = live_vectors(store, np.asarray(allowed, dtype=np.int64))
    if len(labels) == 0:
        return labels, np.zeros(0, np.float32)
    scores = vectors @ np.asarray(vector, dtype=np.float32).ravel()
    k = min(k, len(labels))
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return labels[top], scores[top].astype(np.float32)


def live_vectors(store: VectorStore, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The labels among ``labels`` that have a vector, and their vectors: from the snapshot
    file when it holds the store's state (fast), else from hnswlib."""
    current = not store.dirty and store.log_bytes == 0
    view = saved_vectors(store.path, store.dim) if current else None
    if view is not None:
        return view.live_vectors(labels)
    present = np.array([int(i) for i in labels if int(i) in store], dtype=np.int64)
    return present, store.get(present) if len(present) else np.zeros((0, store.dim), np.float32)

"""The true top-k among allowed photos, from a real hnswlib store, both ways."""

from __future__ import annotations

import numpy as np
import pytest

from index import filtered_search
from index.filtered_search import live_vectors, top_k_among
from index.vector_store import VectorStore

DIM, N, K = 32, 3000, 10


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> tuple[VectorStore, np.ndarray]:
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((N, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store = VectorStore(tmp_path_factory.mktemp("filtered") / "vectors.hnsw", DIM)
    store.add(np.arange(1, N + 1), vectors)
    store.save()
    return store, vectors


def exact_top(vectors: np.ndarray, allowed: np.ndarray, query: np.ndarray) -> list[int]:
    scores = vectors[allowed - 1] @ query
    return [int(x) for x in allowed[np.argsort(-scores)[:K]]]


WAYS = {  # (EXACT_LIMIT, OVERFETCH_LIMIT) that force each way where it can answer
    "exact-scan": (10**9, 0),
    "over-fetch": (0, 10**9),
    "graph-walk": (0, 0),
}


@pytest.mark.parametrize("share", [0.001, 0.01, 0.1, 0.8])
@pytest.mark.parametrize("way", WAYS)
def test_top_k_among_allowed_is_the_exact_filtered_top_k(store, monkeypatch, share, way):
    store, vectors = store
    monkeypatch.setattr(filtered_search, "EXACT_LIMIT", WAYS[way][0])
    monkeypatch.setattr(filtered_search, "OVERFETCH_LIMIT", WAYS[way][1])
    rng = np.random.default_rng(int(share * 1000))
    allowed = np.sort(rng.choice(np.arange(1, N + 1), max(3, int(N * share)), replace=False))
    for query in vectors[rng.choice(N, 5)] + 0.3 * rng.standard_normal((5, DIM)).astype(np.float32):
        labels, scores = top_k_among(store, query, allowed, K, store.ef_search)
        assert [int(x) for x in labels] == exact_top(vectors, allowed, query)
        assert np.all(np.diff(scores) <= 1e-6)


def test_vectors_come_from_the_saved_file_until_the_store_changes(store, tmp_path):
    store, vectors = store
    labels, found = live_vectors(store, np.array([17, 3, 2999, 5, N + 7]))
    assert labels.tolist() == [17, 3, 2999, 5]  # N + 7 has no vector
    assert np.allclose(found, vectors[labels - 1])
    changed = VectorStore(tmp_path / "v.hnsw", DIM)
    changed.add([1, 2], vectors[:2])
    changed.save()
    changed.remove([2])
    changed.add([1], vectors[5:6])  # after the snapshot: the file is stale, hnswlib answers
    labels, found = live_vectors(changed, np.array([1, 2]))
    assert labels.tolist() == [1] and np.allclose(found, vectors[5:6])

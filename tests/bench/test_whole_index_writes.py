"""The benchmarks' baseline ways of writing a whole index (fork, memory copy) write the
file hnswlib writes, and a store compacted each way is the same store: the comparison in
bench.snapshot_pause is between ways that do the same job."""

from __future__ import annotations

import numpy as np
import pytest

from bench.whole_index_writes import FILES, FORK, MEMORY_COPY, CopiedWrite, ForkedWrite, compacting
from index.vector_store import VectorStore

DIM = 16


def _vectors(n: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.mark.parametrize("write", [ForkedWrite, CopiedWrite], ids=["fork", "memory copy"])
def test_a_baseline_writes_the_index_as_it_was_when_it_started(write, tmp_path):
    store = VectorStore(tmp_path / "v.hnsw", DIM)
    store.add(range(1, 3001), _vectors(3000, 1))
    store.remove(range(1, 3001, 13))
    store._index.save_index(str(tmp_path / "by-hnswlib.hnsw"))
    writing = write(store._index, tmp_path / "started.hnsw")
    store.add(range(3001, 3501), _vectors(500, 2))  # changes after the start
    store.remove(range(2, 3001, 13))
    writing.wait()
    assert (tmp_path / "started.hnsw").read_bytes() == (tmp_path / "by-hnswlib.hnsw").read_bytes()


@pytest.mark.parametrize("way", [FILES, FORK, MEMORY_COPY])
def test_each_way_compacts_to_the_same_store(way, tmp_path):
    path = tmp_path / "v.hnsw"
    store = VectorStore(path, DIM)
    store.add(range(1, 201), _vectors(200, 1))
    store.save()
    store.add(range(201, 301), _vectors(100, 2))
    store.remove(range(1, 11))
    store.save()
    record: dict = {}
    with compacting(store, way, record):
        store.compactor.compact()
    store.close(compact=False)
    assert store.log_bytes == 0 and record["held_ms"] >= 0
    assert VectorStore(path, DIM, read_only=True).labels() == set(range(11, 301))

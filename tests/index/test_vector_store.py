"""The hnswlib store against an exact numpy scan, deletions, growth and atomic saves."""

from __future__ import annotations

import os

import numpy as np
import pytest

from index.vector_store import MIN_CAPACITY, VectorStore


def _unit(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    # Clustered like real embeddings rather than isotropic noise.
    centers = rng.normal(size=(20, dim))
    x = centers[rng.integers(0, 20, n)] + 0.6 * rng.normal(size=(n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_knn_agrees_with_exact_numpy_scan(tmp_path):
    rng = np.random.default_rng(1)
    data, queries = _unit(rng, 3000, 64), _unit(rng, 100, 64)
    # A wide search ef: this checks the store's correctness; the recall of the product's
    # default settings is measured by bench/scale.py.
    store = VectorStore(tmp_path / "v.hnsw", 64, ef_search=200)
    ids = np.arange(10, 3010)
    store.add(ids, data)
    assert store.capacity >= 3000 > MIN_CAPACITY  # grew past its initial capacity
    labels, scores = store.search(queries, 10)
    exact = ids[np.argsort(-(queries @ data.T), axis=1)[:, :10]]
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(labels, exact, strict=True)])
    assert recall >= 0.98
    assert np.mean(labels[:, 0] == exact[:, 0]) >= 0.97
    np.testing.assert_allclose(scores[:, 0], np.max(queries @ data.T, axis=1), atol=1e-4)


def test_a_wider_search_for_one_call_finds_more_and_leaves_the_default(tmp_path):
    rng = np.random.default_rng(2)
    data, queries = _unit(rng, 3000, 64), _unit(rng, 100, 64)
    store = VectorStore(tmp_path / "v.hnsw", 64, ef_search=10)
    store.add(np.arange(3000), data)
    exact = np.argsort(-(queries @ data.T), axis=1)[:, :10]

    def recall(labels: np.ndarray) -> float:
        return np.mean([len(set(a) & set(b)) / 10 for a, b in zip(labels, exact, strict=True)])

    narrow, _ = store.search(queries, 10)
    wide, _ = store.search(queries, 10, ef=400)
    assert recall(wide) >= 0.97 and recall(wide) > recall(narrow)
    assert store.ef_search == 10
    np.testing.assert_array_equal(store.search(queries, 10)[0], narrow)


def test_deleted_vectors_never_come_back_and_k_is_capped(tmp_path):
    rng = np.random.default_rng(2)
    data = _unit(rng, 50, 16)
    store = VectorStore(tmp_path / "v.hnsw", 16)
    store.add(range(50), data)
    store.remove(range(0, 50, 2))
    labels, _ = store.search(data, 100)
    assert labels.shape == (50, 25)
    assert all(label % 2 == 1 for label in labels.ravel())
    store.add([4], data[4:5])  # re-adding a deleted label brings it back
    assert store.search(data[4], 1)[0][0, 0] == 4


def test_save_and_load_round_trip_keeps_live_set(tmp_path):
    rng = np.random.default_rng(3)
    data = _unit(rng, 200, 32)
    path = tmp_path / "v.hnsw"
    store = VectorStore(path, 32)
    store.add(range(200), data)
    store.remove([7, 8, 9])
    store.save()
    again = VectorStore(path, 32)
    assert len(again) == 197 and 7 not in again and 10 in again
    np.testing.assert_allclose(again.get([10]), data[10:11], atol=1e-6)


def _saved_files(tmp_path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(tmp_path.iterdir())}


def test_failed_compaction_leaves_snapshot_and_log_intact(tmp_path, monkeypatch):
    path = tmp_path / "v.hnsw"
    store = VectorStore(path, 8)
    store.add([1], np.ones((1, 8), np.float32) / np.sqrt(8))
    store.save()  # the first save writes a snapshot
    store.add([2], np.eye(8, dtype=np.float32)[:1])
    store.save()  # later ones append to the log
    before = _saved_files(tmp_path)

    from index.snapshot_build import SnapshotBuild

    real_wait = SnapshotBuild.wait

    def half_then_disk_full(building):
        """Writes half a file, then fails like a full disk."""
        real_wait(building)
        with open(building.path, "r+b") as f:
            f.truncate(len(before["v.hnsw"]) // 2)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(SnapshotBuild, "wait", half_then_disk_full)
    with pytest.raises(OSError, match="No space left"):
        store.compactor.compact()
    assert _saved_files(tmp_path) == before
    assert VectorStore(path, 8, read_only=True).labels() == {1, 2}


def test_failed_log_append_is_cut_back_and_retried(tmp_path, monkeypatch):
    import index.vector_log as vector_log

    path = tmp_path / "v.hnsw"
    store = VectorStore(path, 8)
    store.add([1], np.ones((1, 8), np.float32) / np.sqrt(8))
    store.save()
    before = _saved_files(tmp_path)
    store.add([2], np.eye(8, dtype=np.float32)[:1])

    def half_then_disk_full(fd, data, offset):
        os.pwrite(fd, bytes(data)[: len(data) // 2], offset)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(vector_log, "_pwrite_all", half_then_disk_full)
    with pytest.raises(Exception, match="the disk is full"):
        store.save()
    assert _saved_files(tmp_path) == before  # no torn record left behind
    monkeypatch.undo()
    store.add([3], np.eye(8, dtype=np.float32)[1:2])
    store.save()  # space freed: both changes reach the log
    assert VectorStore(path, 8, read_only=True).labels() == {1, 2, 3}


@pytest.mark.parametrize("records_per_read", [64, 16384])  # several slices, and one
def test_live_labels_read_from_the_file_match_hnswlib(tmp_path, monkeypatch, records_per_read):
    from index import vector_snapshot

    monkeypatch.setattr(vector_snapshot, "_RECORDS_PER_READ", records_per_read)
    rng = np.random.default_rng(4)
    path = tmp_path / "v.hnsw"
    store = VectorStore(path, 24)
    store.add(range(100, 600), _unit(rng, 500, 24))
    store.remove(range(100, 600, 7))
    store.save()
    from_file = vector_snapshot.live_labels_in_file(path, store._index.get_current_count())
    from_hnswlib = store._live_among([int(x) for x in store._index.get_ids_list()])
    assert from_file is not None
    assert sorted(from_file) == sorted(from_hnswlib) == sorted(store.labels())

"""The store's change log: checkpoints append, a torn or corrupt tail is dropped whole,
readers follow the writer's appends, and compaction keeps the store it folds."""

from __future__ import annotations

import os
import shutil

import numpy as np

from index.vector_log import HEADER_SIZE, log_path
from index.vector_store import VectorStore

DIM = 16


def _vectors(n: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _store_with_two_checkpoints(tmp_path):
    """Labels 1-20 in the snapshot, then 21-30 and 31-40 each appended to the log."""
    path = tmp_path / "v.hnsw"
    store = VectorStore(path, DIM)
    store.add(range(1, 21), _vectors(20, 1))
    store.save()
    store.add(range(21, 31), _vectors(10, 2))
    store.save()
    first_end = os.path.getsize(log_path(path))
    store.add(range(31, 41), _vectors(10, 3))
    store.save()
    store.close(compact=False)
    return path, first_end


def test_a_checkpoint_appends_only_what_changed(tmp_path):
    path = tmp_path / "v.hnsw"
    store = VectorStore(path, DIM)
    store.add(range(1, 501), _vectors(500, 1))
    store.save()
    snapshot = path.read_bytes()
    store.add([501], _vectors(1, 2))
    store.remove([7])
    store.save()
    assert path.read_bytes() == snapshot  # the snapshot is not rewritten
    # one added vector and one removal: two small records, not 500 vectors
    assert os.path.getsize(log_path(path)) - HEADER_SIZE < 2 * (DIM * 4 + 64)
    reopened = VectorStore(path, DIM, read_only=True)
    assert 501 in reopened and 7 not in reopened and len(reopened) == 500


def test_a_torn_tail_is_dropped_and_the_writer_appends_after_it(tmp_path):
    path, first_end = _store_with_two_checkpoints(tmp_path)
    log = log_path(path)
    with open(log, "r+b") as f:  # the last append was cut short by a crash
        f.truncate(os.path.getsize(log) - 100)

    writer = VectorStore(path, DIM)
    assert writer.labels() == set(range(1, 31))  # the torn record is never half-applied
    assert os.path.getsize(log) == first_end  # the writer cut the torn bytes off
    writer.add([99], _vectors(1, 9))
    writer.save()
    assert VectorStore(path, DIM, read_only=True).labels() == set(range(1, 31)) | {99}


def test_a_corrupt_record_is_detected_by_its_checksum(tmp_path):
    path, first_end = _store_with_two_checkpoints(tmp_path)
    log = log_path(path)
    with open(log, "r+b") as f:  # one flipped bit inside the last record's vectors
        f.seek(first_end + 200)
        byte = f.read(1)
        f.seek(first_end + 200)
        f.write(bytes([byte[0] ^ 0x10]))
    reader = VectorStore(path, DIM, read_only=True)
    assert reader.labels() == set(range(1, 31))
    np.testing.assert_allclose(reader.get([25]), _vectors(10, 2)[4:5], atol=1e-6)


def test_a_reader_replays_only_the_new_records(tmp_path):
    path = tmp_path / "v.hnsw"
    writer = VectorStore(path, DIM)
    writer.add(range(1, 21), _vectors(20, 1))
    writer.save()
    reader = VectorStore(path, DIM, read_only=True)
    writer.add([21], _vectors(1, 2))
    writer.remove([3])
    writer.save()

    assert reader.catch_up() is True  # the same store object, caught up in place
    assert 21 in reader and 3 not in reader
    np.testing.assert_allclose(reader.get([21]), _vectors(1, 2), atol=1e-6)


def test_compaction_keeps_the_store_and_tells_readers_to_reopen(tmp_path):
    path = tmp_path / "v.hnsw"
    writer = VectorStore(path, DIM)
    writer.add(range(1, 21), _vectors(20, 1))
    writer.save()
    reader = VectorStore(path, DIM, read_only=True)
    writer.add(range(21, 41), _vectors(20, 2))
    writer.remove(range(1, 6))
    writer.save()

    writer.compactor.compact()
    assert writer.log_bytes == 0
    assert reader.catch_up() is False  # its log was replaced: reopen
    reopened = VectorStore(path, DIM, read_only=True)
    assert reopened.labels() == set(range(6, 41)) == writer.labels()
    np.testing.assert_allclose(reopened.get([30]), _vectors(20, 2)[9:10], atol=1e-6)


def test_new_snapshot_with_the_old_log_is_the_same_store(tmp_path):
    """A kill between compaction's two renames leaves exactly this pair."""
    path = tmp_path / "v.hnsw"
    writer = VectorStore(path, DIM)
    writer.add(range(1, 21), _vectors(20, 1))
    writer.save()
    writer.add(range(21, 31), _vectors(10, 2))
    writer.remove([4, 25])
    writer.add([4], _vectors(1, 5))  # removed, then back with another vector
    writer.save()
    old_log = tmp_path / "old.log"
    shutil.copyfile(log_path(path), old_log)
    writer.compactor.compact()
    writer.close(compact=False)
    os.replace(old_log, log_path(path))

    reopened = VectorStore(path, DIM, read_only=True)
    assert reopened.labels() == set(range(1, 31)) - {25}
    np.testing.assert_allclose(reopened.get([4]), _vectors(1, 5), atol=1e-6)


def test_a_whole_snapshot_saved_during_compaction_is_not_undone(tmp_path, monkeypatch):
    from index.snapshot_build import SnapshotBuild

    path = tmp_path / "v.hnsw"
    writer = VectorStore(path, DIM)
    writer.add(range(1, 21), _vectors(20, 1))
    writer.save()
    writer.add(range(21, 31), _vectors(10, 2))
    writer.save()
    real_wait = SnapshotBuild.wait

    def save_a_whole_snapshot_meanwhile(building):  # compaction's unlocked step
        real_wait(building)
        writer.add(range(31, 41), _vectors(10, 3))
        writer._pending = None  # as after more changes than the snapshot holds
        writer.save()

    monkeypatch.setattr(SnapshotBuild, "wait", save_a_whole_snapshot_meanwhile)
    writer.compactor.compact()
    writer.close(compact=False)
    assert VectorStore(path, DIM, read_only=True).labels() == set(range(1, 41))


def test_a_reader_searches_the_replayed_log_with_the_snapshot(tmp_path):
    path = tmp_path / "v.hnsw"
    writer = VectorStore(path, DIM)
    old = _vectors(200, 1)
    writer.add(range(1, 201), old)
    writer.save()
    new, updated = _vectors(50, 2), _vectors(10, 3)
    writer.add(range(201, 251), new)  # new photos
    writer.add(range(1, 11), updated)  # re-encoded photos: new vectors, same labels
    writer.remove([*range(11, 21), *range(201, 206)])  # deleted photos
    writer.save()
    expected = {label: old[label - 1] for label in range(21, 201)}
    expected |= {label: new[label - 201] for label in range(206, 251)}
    expected |= {label: updated[label - 1] for label in range(1, 11)}

    reader = VectorStore(path, DIM, read_only=True)
    assert reader.labels() == set(expected)
    labels, _ = reader.search(np.stack(list(expected.values())), 1)
    assert labels[:, 0].tolist() == list(expected)  # each finds itself, old vector or new
    everything, _ = reader.search(old[10], len(expected))
    assert set(everything[0].tolist()) == set(expected)  # nothing removed comes back
    np.testing.assert_allclose(reader.get([3, 230, 50]), [updated[2], new[29], old[49]])

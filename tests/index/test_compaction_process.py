"""Compaction builds its snapshot in a separate process from the store's files: the
writer's process neither forks nor copies its index, changes saved meanwhile are kept,
and a builder that dies or is stopped leaves the saved files as they were."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

import numpy as np
import pytest

from index import compaction
from index.hnsw_index import HnswIndex
from index.snapshot_build import SnapshotBuild
from index.vector_log import HEADER_SIZE, log_path
from index.vector_store import VectorStore

DIM = 16


def _vectors(n: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _store_with_a_log(path) -> VectorStore:
    """Labels 1-200 in the snapshot, 201-300 added and 1-10 removed in the log."""
    store = VectorStore(path, DIM)
    store.add(range(1, 201), _vectors(200, 1))
    store.save()
    store.add(range(201, 301), _vectors(100, 2))
    store.remove(range(1, 11))
    store.flush()
    return store


def _saved_files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


class _IndexThatMustNotBeWritten:
    """The writer's in-memory index, refusing to be saved or copied whole."""

    def __init__(self, index) -> None:
        self._real = index

    def __getattr__(self, name):
        if name in ("save_index", "__getstate__"):
            raise AssertionError(f"the writer's index was written whole ({name})")
        return getattr(self._real, name)


def test_compaction_neither_forks_nor_copies_the_writers_index(tmp_path, monkeypatch):
    store = _store_with_a_log(tmp_path / "v.hnsw")
    store._index = _IndexThatMustNotBeWritten(store._index)

    def no_fork():
        raise AssertionError("the writer's process forked")

    monkeypatch.setattr(os, "fork", no_fork)
    store.compactor.compact()
    assert store.log_bytes == 0  # folded into the new snapshot
    monkeypatch.undo()
    reopened = VectorStore(tmp_path / "v.hnsw", DIM, read_only=True)
    assert reopened.labels() == set(range(11, 301))
    np.testing.assert_allclose(reopened.get([250]), _vectors(100, 2)[49:50], atol=1e-6)


def test_changes_saved_while_the_snapshot_builds_are_kept_in_the_log(tmp_path, monkeypatch):
    path = tmp_path / "v.hnsw"
    store = _store_with_a_log(path)
    real_wait = SnapshotBuild.wait

    def save_more_meanwhile(building):
        store.add(range(301, 321), _vectors(20, 3))
        store.remove([250])
        store.save()
        real_wait(building)

    monkeypatch.setattr(SnapshotBuild, "wait", save_more_meanwhile)
    store.compactor.compact()
    store.close(compact=False)

    # The snapshot is the state when compaction started; the log keeps what came after.
    snapshot = HnswIndex.load(path, DIM)
    assert snapshot.labels() == set(range(11, 301))
    assert 0 < os.path.getsize(log_path(path)) - HEADER_SIZE < 20 * (DIM * 4 + 8) + 200
    reopened = VectorStore(path, DIM, read_only=True)
    assert reopened.labels() == set(range(11, 321)) - {250}
    np.testing.assert_allclose(reopened.get([310]), _vectors(20, 3)[9:10], atol=1e-6)


def test_checkpoints_during_background_compactions_lose_nothing(tmp_path, monkeypatch):
    """The writer saves batch after batch while compactions run in the background, as an
    indexing run does; every batch is in the store reopened afterwards."""
    monkeypatch.setattr(compaction, "MIN_LOG_BYTES", 0)
    monkeypatch.setattr(compaction, "BUSY_SHARE", 0.05)
    path = tmp_path / "v.hnsw"
    store = VectorStore(path, DIM)
    batches = [_vectors(20, seed) for seed in range(40)]
    saved_while_compacting = 0
    for i, batch in enumerate(batches):
        store.add(range(20 * i, 20 * i + 20), batch)
        saved_while_compacting += store.compactor.running
        store.save()  # starts a compaction whenever none runs
    store.compactor.join()
    assert store.compactor.completed >= 1 and saved_while_compacting >= 1
    store.close(compact=False)
    reopened = VectorStore(path, DIM, read_only=True)
    assert reopened.labels() == set(range(20 * len(batches)))
    np.testing.assert_allclose(reopened.get(range(20 * 39, 20 * 40)), batches[39], atol=1e-6)


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="POSIX priorities")
def test_the_snapshot_builder_runs_at_a_lower_priority_than_the_writer(tmp_path):
    """Its work is background work: the window's threads get the cores first."""
    store = _store_with_a_log(tmp_path / "v.hnsw")
    building = store.compactor.start_build(store.log_end, tmp_path / "new.hnsw")
    try:
        niceness = os.getpriority(os.PRIO_PROCESS, building.pid)
    finally:
        building.wait()
    assert niceness > os.getpriority(os.PRIO_PROCESS, 0)


def test_a_killed_builder_leaves_the_saved_files_and_the_next_compaction_works(
    tmp_path, monkeypatch
):
    path = tmp_path / "v.hnsw"
    store = _store_with_a_log(path)
    before = _saved_files(tmp_path)
    real_wait = SnapshotBuild.wait

    def killed_meanwhile(building):
        os.kill(building.pid, signal.SIGKILL)
        real_wait(building)

    monkeypatch.setattr(SnapshotBuild, "wait", killed_meanwhile)
    with pytest.raises(OSError, match="snapshot builder failed"):
        store.compactor.compact()
    assert _saved_files(tmp_path) == before
    monkeypatch.undo()
    store.compactor.compact()
    store.close(compact=False)
    assert VectorStore(path, DIM, read_only=True).labels() == set(range(11, 301))


def test_closing_the_writer_stops_a_running_compaction_quietly(tmp_path, monkeypatch, caplog):
    path = tmp_path / "v.hnsw"
    store = _store_with_a_log(path)
    store.save()
    before = _saved_files(tmp_path)
    building_started = threading.Event()
    real_wait = SnapshotBuild.wait

    def signal_then_wait(building):
        building_started.set()
        real_wait(building)

    monkeypatch.setattr(SnapshotBuild, "wait", signal_then_wait)
    monkeypatch.setattr(compaction, "MIN_LOG_BYTES", 0)
    monkeypatch.setattr(compaction, "BUSY_SHARE", 0.0)
    store.compactor.start_if_due(idle=False)
    assert building_started.wait(30)
    with caplog.at_level(logging.WARNING, logger="photosearch"):
        store.close(compact=False)
    assert not store.compactor.running
    assert "could not compact" not in caplog.text
    assert _saved_files(tmp_path) == before
    assert VectorStore(path, DIM, read_only=True).labels() == set(range(11, 301))


def _process_state(pid: int) -> str:
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0]


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads /proc")
def test_a_build_pauses_while_the_user_is_busy_and_finishes_after(tmp_path, monkeypatch):
    store = _store_with_a_log(tmp_path / "v.hnsw")
    expected = store.labels()
    busy = threading.Event()
    store.compactor.defer_while = busy.is_set
    builds = []
    start_build = store.compactor.start_build

    def recorded(*args):
        builds.append(start_build(*args))
        busy.set()  # the user starts scrolling as the build starts
        return builds[-1]

    monkeypatch.setattr(store.compactor, "start_build", recorded)
    worker = threading.Thread(target=store.compactor.compact)
    worker.start()
    deadline = time.monotonic() + 10
    while not (builds and _process_state(builds[0].pid) == "T") and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _process_state(builds[0].pid) == "T"  # stopped, not building
    busy.clear()
    worker.join(30)
    assert store.compactor.completed == 1
    store.close(compact=False)
    assert VectorStore(tmp_path / "v.hnsw", DIM, read_only=True).labels() == expected


def test_closing_the_writer_while_a_compaction_waits_leaves_the_files(tmp_path):
    store = _store_with_a_log(tmp_path / "v.hnsw")
    before = _saved_files(tmp_path)
    store.compactor.defer_while = lambda: True  # the user never stops
    store.compactor.start_if_due(idle=True)
    time.sleep(0.3)
    assert store.compactor.running  # waiting
    store.close(compact=False)
    assert not store.compactor.running
    assert store.compactor.completed == 0
    assert _saved_files(tmp_path) == before

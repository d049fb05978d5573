"""The watcher and background service follow real file-system changes.

Each test changes files on disk and polls (generous timeouts) until the index agrees.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
from index_support import indexed_paths, pil_decode, wait_for, write_photo

from index.background import IndexCallbacks, IndexingService
from index.folders import add_folder
from index.search import SearchService
from index.watcher import FolderWatcher

pytestmark = pytest.mark.usefixtures("no_thread_leaks")

TIMEOUT = 30.0


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    folder = tmp_path / "photos"
    for i in range(4):
        write_photo(folder / f"p{i}.jpg", seed=i)
    return folder


@pytest.fixture
def service(library, photos):
    add_folder(library, str(photos))
    svc = IndexingService(library, library.encoder, pil_decode, watch=True)
    svc.start()
    assert svc.wait_idle(TIMEOUT)
    yield svc
    svc.stop()


def _has(library, path: Path) -> bool:
    return str(path) in indexed_paths(library)


def _lacks(library, path: Path) -> bool:
    return str(path) not in indexed_paths(library)


def _vector_of(library, path: Path) -> np.ndarray | None:
    photo_id = indexed_paths(library).get(str(path))
    return None if photo_id is None else library.store.get([photo_id])[0]


def _has_vector(library, path: Path, wanted: np.ndarray) -> bool:
    vector = _vector_of(library, path)
    return vector is not None and np.allclose(vector, wanted, atol=1e-5)


def _expected_vector(library, path: Path) -> np.ndarray:
    enc = library.encoder
    return enc.encode_prepared([enc.prepare(pil_decode(str(path)))])[0]


def test_startup_scan_indexes_existing_photos(library, photos, service):
    assert set(indexed_paths(library)) == {str(p) for p in photos.glob("*.jpg")}
    assert library.store.labels() == set(indexed_paths(library).values())


def test_created_file_is_indexed(library, photos, service):
    new = write_photo(photos / "new.jpg", seed=50)
    wait_for(lambda: _has(library, new), TIMEOUT)
    np.testing.assert_allclose(_vector_of(library, new), _expected_vector(library, new), atol=1e-5)


def test_modified_file_gets_a_new_vector_under_the_same_id(library, photos, service):
    target = photos / "p0.jpg"
    photo_id = indexed_paths(library)[str(target)]
    write_photo(target, seed=99)
    wanted = _expected_vector(library, target)
    wait_for(lambda: _has_vector(library, target, wanted), TIMEOUT)
    assert indexed_paths(library)[str(target)] == photo_id


def test_moved_file_keeps_its_vector_without_re_encoding(library, photos, service):
    ids = indexed_paths(library)
    encoded = []
    real = library.encoder.encode_prepared
    library.encoder.encode_prepared = lambda batch: encoded.append(len(batch)) or real(batch)
    os.makedirs(photos / "sub")
    os.rename(photos / "p1.jpg", photos / "sub" / "renamed.jpg")
    wait_for(lambda: _has(library, photos / "sub" / "renamed.jpg"), TIMEOUT)
    assert _lacks(library, photos / "p1.jpg")
    new_id = indexed_paths(library)[str(photos / "sub" / "renamed.jpg")]
    assert new_id == ids[str(photos / "p1.jpg")]
    assert encoded == []


def test_folder_created_moved_and_deleted(library, photos, service):
    album = photos / "album"
    album.mkdir()
    files = [write_photo(album / f"a{i}.jpg", seed=100 + i) for i in range(3)]
    wait_for(lambda: all(_has(library, f) for f in files), TIMEOUT)
    ids = {f.name: indexed_paths(library)[str(f)] for f in files}

    os.rename(album, photos / "renamed")
    moved = [photos / "renamed" / f.name for f in files]
    wait_for(lambda: all(_has(library, f) for f in moved), TIMEOUT)
    assert {f.name: indexed_paths(library)[str(f)] for f in moved} == ids
    assert all(_lacks(library, f) for f in files)

    shutil.rmtree(photos / "renamed")
    wait_for(lambda: all(_lacks(library, f) for f in moved), TIMEOUT)
    assert library.store.labels() == set(indexed_paths(library).values())


def test_folder_renamed_while_its_photos_settle_is_reported_as_one_move(library, photos):
    """Photos still settling (a copy's last writes) when their folder is renamed must not be
    reported gone on their own: alone, each would read as a deletion and lose its vector."""
    add_folder(library, str(photos))
    batches: list[list[str]] = []
    watcher = FolderWatcher(library.catalog, batches.append, quiet_s=30.0)
    watcher.start()
    try:
        album = photos / "album"
        album.mkdir()
        files = [write_photo(album / f"a{i}.jpg", seed=100 + i) for i in range(3)]
        threading.Event().wait(1.0)  # past the debounce, still inside the quiet time
        os.rename(album, photos / "renamed")
        wait_for(lambda: any(str(photos / "renamed") in b for b in batches), TIMEOUT)
    finally:
        watcher.stop()
    move = next(b for b in batches if str(photos / "renamed") in b)
    assert {str(f) for f in files} <= set(move)


def test_deleted_file_leaves_index_and_store(library, photos, service):
    photo_id = indexed_paths(library)[str(photos / "p2.jpg")]
    (photos / "p2.jpg").unlink()
    wait_for(lambda: _lacks(library, photos / "p2.jpg"), TIMEOUT)
    wait_for(lambda: photo_id not in library.store, TIMEOUT)
    assert library.catalog.photo_by_path(str(photos / "p2.jpg")) is None


def test_file_written_slowly_is_indexed_once_complete(library, photos, service):
    source = write_photo(photos.parent / "staging.jpg", seed=77, size=(640, 480))
    data = source.read_bytes()
    target = photos / "slow.jpg"
    with open(target, "wb") as f:  # a camera-card copy: pieces with pauses
        for start in range(0, len(data), len(data) // 5 + 1):
            f.write(data[start : start + len(data) // 5 + 1])
            f.flush()
            threading.Event().wait(0.15)
    wanted = _expected_vector(library, source)
    wait_for(lambda: _has(library, target), TIMEOUT)
    wait_for(lambda: _has_vector(library, target, wanted), TIMEOUT)
    assert library.catalog.photo_by_path(str(target)).status == "indexed"


def test_changes_while_stopped_are_caught_at_startup(library, photos):
    add_folder(library, str(photos))
    with IndexingService(library, library.encoder, pil_decode, watch=True) as svc:
        assert svc.wait_idle(TIMEOUT)
    ids = indexed_paths(library)
    # Offline: add, delete, rename.
    write_photo(photos / "offline.jpg", seed=300)
    (photos / "p0.jpg").unlink()
    os.rename(photos / "p1.jpg", photos / "p1-renamed.jpg")
    with IndexingService(library, library.encoder, pil_decode, watch=True) as svc:
        assert svc.wait_idle(TIMEOUT)
        now = indexed_paths(library)
    assert set(now) == {str(p) for p in photos.glob("*.jpg")}
    assert now[str(photos / "p1-renamed.jpg")] == ids[str(photos / "p1.jpg")]
    assert library.store.labels() == set(now.values())


def test_folder_that_disappears_and_comes_back(library, photos, tmp_path, service):
    before = indexed_paths(library)
    away = tmp_path / "unplugged"
    os.rename(photos, away)  # the drive is unplugged
    watcher = service._watcher
    wait_for(lambda: watcher.watched == [], TIMEOUT)
    service.rescan()  # a full rescan while it is gone must not delete anything
    assert service.wait_idle(TIMEOUT)
    assert indexed_paths(library) == before

    write_photo(away / "while-away.jpg", seed=400)
    os.rename(away, photos)  # plugged back in
    wait_for(lambda: _has(library, photos / "while-away.jpg"), TIMEOUT)
    assert watcher.watched == [str(photos)]
    after = indexed_paths(library)
    assert {p: after[p] for p in before} == before
    new = write_photo(photos / "after-return.jpg", seed=401)
    wait_for(lambda: _has(library, new), TIMEOUT)


def test_searches_during_indexing_answer_from_what_is_indexed(library, photos, tmp_path):
    add_folder(library, str(photos))
    for i in range(150):
        write_photo(photos / "burst" / f"b{i:03d}.jpg", seed=1000 + i)
    progress = []
    svc = IndexingService(
        library,
        library.encoder,
        pil_decode,
        IndexCallbacks(progress=progress.append),
        indexer_options={"batch_size": 8, "workers": 2},
    )
    search = SearchService(library, library.encoder)
    answers = []
    svc.start()
    try:
        while svc.busy:
            results = search.by_text("anything", k=5)
            answers.append(len(results))
            on_disk = {str(p) for p in photos.rglob("*.jpg")}
            assert all(r.path in on_disk for r in results)
    finally:
        assert svc.wait_idle(TIMEOUT)
        svc.stop()
    assert answers, "the service finished before any search ran"
    assert progress and progress[-1].done == progress[-1].total == 154
    assert len(indexed_paths(library)) == 154
    assert len(search.by_text("anything", k=200)) == 154


def test_pause_holds_work_until_resume(library, photos):
    add_folder(library, str(photos))
    svc = IndexingService(library, library.encoder, pil_decode)
    svc.pause()
    svc.start()
    try:
        assert not svc.wait_idle(1.0)  # queued, not run
        assert indexed_paths(library) == {}
        svc.resume()
        assert svc.wait_idle(TIMEOUT)
        assert len(indexed_paths(library)) == 4
    finally:
        svc.stop()

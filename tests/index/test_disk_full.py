"""Disk full while saving the vector store: the previous state stays intact, and says so."""

from __future__ import annotations

import errno
import logging
import os

import pytest
from index_support import indexed_paths, pil_decode, wait_for, write_photo

import index.vector_log as vector_log
from index.background import IndexCallbacks, IndexingService
from index.folders import add_folder
from index.hnsw_index import HnswIndex
from index.library import VECTORS_FILE, Library
from index.pipeline import Indexer
from index.scanner import scan
from index.vector_store import StoreSaveError

pytestmark = pytest.mark.usefixtures("no_thread_leaks")


def _raise_enospc(store, path):
    with open(path, "wb") as f:
        f.write(b"partial")
    raise OSError(errno.ENOSPC, "No space left on device")


def _truncate_silently(store, path):
    """What hnswlib does on a full disk: its writer ignores the error."""
    store._index.save_index(str(path))
    with open(path, "r+b") as f:
        f.truncate(f.seek(0, 2) // 2)


def _index(library):
    diff = scan(library.catalog, library.catalog.folders())
    return Indexer(library, library.encoder, pil_decode).apply(diff)


def _log_half_then_enospc(fd, data, offset):
    os.pwrite(fd, bytes(data)[: len(data) // 2], offset)
    raise OSError(errno.ENOSPC, "No space left on device")


def _saved_store(library) -> dict[str, bytes]:
    return {name: (library.root / name).read_bytes() for name in (VECTORS_FILE, "vectors.log")}


@pytest.mark.parametrize(
    ("module", "name", "fault"),
    [
        (HnswIndex, "save_file", _raise_enospc),  # the first save writes a snapshot
        (HnswIndex, "save_file", _truncate_silently),
        (vector_log, "_pwrite_all", _log_half_then_enospc),  # later ones append to the log
    ],
)
def test_disk_full_during_save_keeps_previous_state(
    module, name, fault, library, tmp_path, monkeypatch
):
    folder = tmp_path / "photos"
    first = [write_photo(folder / f"a{i}.jpg", seed=i) for i in range(5)]
    add_folder(library, str(folder))
    if module is vector_log:
        _index(library)
        saved = _saved_store(library)
    else:
        saved = {}
    before = indexed_paths(library)
    assert set(before) == ({str(p) for p in first} if saved else set())

    later = [write_photo(folder / f"b{i}.jpg", seed=50 + i) for i in range(3)]
    monkeypatch.setattr(module, name, fault)
    with pytest.raises(StoreSaveError, match="previously saved index is intact") as err:
        _index(library)
    assert str(err.value).startswith("the disk is full (")
    if saved:
        assert _saved_store(library) == saved
    else:
        assert not (library.root / VECTORS_FILE).exists()
    assert not list(library.root.glob(".*.tmp-*"))
    assert indexed_paths(library) == before  # the new photos are not claimed as indexed
    assert {library.catalog.photo_by_path(str(p)).status for p in later} == {"pending"}

    # A fresh writer (after a restart) opens the intact files and finishes the job.
    monkeypatch.undo()
    library.close()
    with Library(library.root) as reopened:
        reopened.encoder = library.encoder
        assert reopened.store.labels() == set(before.values())
        _index(reopened)
        assert set(indexed_paths(reopened)) == {str(p) for p in first + later}


def test_background_service_reports_disk_full_and_retries(library, tmp_path, monkeypatch, caplog):
    folder = tmp_path / "photos"
    photos = [write_photo(folder / f"a{i}.jpg", seed=i) for i in range(4)]
    add_folder(library, str(folder))
    errors: list[Exception] = []
    monkeypatch.setattr(HnswIndex, "save_file", _raise_enospc)
    svc = IndexingService(
        library, library.encoder, pil_decode, IndexCallbacks(error=errors.append), retry_s=0.3
    )
    with caplog.at_level(logging.ERROR, logger="photosearch"):
        svc.start()
        try:
            wait_for(lambda: errors, 30)
            assert str(errors[0]).startswith("the disk is full (")
            assert indexed_paths(library) == {}
            monkeypatch.undo()  # space freed: the retry succeeds
            wait_for(lambda: len(indexed_paths(library)) == len(photos), 30)
        finally:
            svc.stop()
    assert "the disk is full (" in caplog.text
    assert svc.last_error is None

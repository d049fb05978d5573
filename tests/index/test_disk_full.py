"""Disk full while saving the vector store: the previous state stays intact, and says so."""

from __future__ import annotations

import errno
import logging

import pytest
from index_support import indexed_paths, pil_decode, wait_for, write_photo

import index.vector_store as vector_store
from index.background import IndexCallbacks, IndexingService
from index.folders import add_folder
from index.library import VECTORS_FILE, Library
from index.pipeline import Indexer
from index.scanner import scan
from index.vector_store import StoreSaveError

pytestmark = pytest.mark.usefixtures("no_thread_leaks")


def _raise_enospc(index, path):
    with open(path, "wb") as f:
        f.write(b"partial")
    raise OSError(errno.ENOSPC, "No space left on device")


def _truncate_silently(index, path):
    """What hnswlib does on a full disk: its writer ignores the error."""
    index.save_index(str(path))
    with open(path, "r+b") as f:
        f.truncate(f.seek(0, 2) // 2)


def _index(library):
    diff = scan(library.catalog, library.catalog.folders())
    return Indexer(library, library.encoder, pil_decode).apply(diff)


@pytest.mark.parametrize("fault", [_raise_enospc, _truncate_silently])
def test_disk_full_during_save_keeps_previous_state(fault, library, tmp_path, monkeypatch):
    folder = tmp_path / "photos"
    first = [write_photo(folder / f"a{i}.jpg", seed=i) for i in range(5)]
    add_folder(library, str(folder))
    _index(library)
    saved = (library.root / VECTORS_FILE).read_bytes()
    before = indexed_paths(library)
    assert set(before) == {str(p) for p in first}

    later = [write_photo(folder / f"b{i}.jpg", seed=50 + i) for i in range(3)]
    monkeypatch.setattr(vector_store, "_write_index", fault)
    with pytest.raises(StoreSaveError, match="previously saved index is intact") as err:
        _index(library)
    assert str(err.value).startswith("the disk is full (")
    assert (library.root / VECTORS_FILE).read_bytes() == saved
    assert not list(library.root.glob(".*.tmp-*"))
    assert indexed_paths(library) == before  # the new photos are not claimed as indexed
    assert {library.catalog.photo_by_path(str(p)).status for p in later} == {"pending"}

    # A fresh writer (after a restart) opens the intact file and finishes the job.
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
    errors: list[str] = []
    monkeypatch.setattr(vector_store, "_write_index", _raise_enospc)
    svc = IndexingService(
        library, library.encoder, pil_decode, IndexCallbacks(error=errors.append), retry_s=0.3
    )
    with caplog.at_level(logging.ERROR, logger="photosearch"):
        svc.start()
        try:
            wait_for(lambda: errors, 30)
            assert errors[0].startswith("the disk is full (")
            assert indexed_paths(library) == {}
            monkeypatch.undo()  # space freed: the retry succeeds
            wait_for(lambda: len(indexed_paths(library)) == len(photos), 30)
        finally:
            svc.stop()
    assert "the disk is full (" in caplog.text
    assert svc.last_error is None

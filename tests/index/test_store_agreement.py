"""A writer with nothing to encode skips loading the vector store only while catalog and store
are exactly as a clean close left them; any other change still gets them reconciled."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from index_support import bind_fake, pil_decode, write_photo

from index.catalog import INDEXED, PENDING
from index.folders import add_folder
from index.library import VECTORS_FILE, Library
from index.pipeline import Indexer
from index.scanner import scan
from index.store_agreement import agrees, record

PROC_IO = Path("/proc/self/io")


def _indexed_library(tmp_path: Path, photos: int = 3) -> Path:
    folder, root = tmp_path / "photos", tmp_path / "library"
    for i in range(photos):
        write_photo(folder / f"p{i}.jpg", seed=i)
    with Library(root) as library:
        encoder = bind_fake(library)
        add_folder(library, str(folder))
        diff = scan(library.catalog, library.catalog.folders())
        Indexer(library, encoder, pil_decode).apply(diff)
    return root


def _checked(root: Path) -> tuple[bool, int]:
    """(was the store loaded, photos pending) after a writer's check before its scan."""
    with Library(root) as library:
        library.check_store()
        return library._store is not None, library.catalog.count(PENDING)


def test_an_unchanged_library_is_checked_without_loading_its_store(tmp_path):
    root = _indexed_library(tmp_path)

    assert _checked(root) == (False, 0)
    assert _checked(root) == (False, 0)  # and stays so: a check that loads nothing keeps it


def test_a_photo_marked_indexed_without_its_vector_is_queued_again(tmp_path):
    # what a writer killed between its catalog and its store write could leave
    root = _indexed_library(tmp_path)
    with Library(root) as library:
        photo_id = library.catalog.ids_with_status(INDEXED)[0]
        library.store.remove([photo_id])
        library.store.save()
        # closing records no agreement: the catalog says indexed, the store has no vector

    assert _checked(root) == (True, 1)


def test_a_store_file_replaced_by_one_of_the_same_size_and_time_is_noticed(tmp_path):
    root = _indexed_library(tmp_path)
    path = root / VECTORS_FILE
    stat = path.stat()
    path.write_bytes(b"\0" * stat.st_size)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    loaded, pending = _checked(root)

    assert loaded and pending == 3  # the unreadable file was set aside, its photos queued


def _bytes_read() -> int:
    """Bytes this process has read through read() calls so far (Linux's I/O accounting)."""
    fields = dict(line.split(": ") for line in PROC_IO.read_text().splitlines())
    return int(fields["rchar"])


@pytest.mark.skipif(not PROC_IO.exists(), reason="no per-process I/O accounting here")
def test_recording_and_checking_agreement_read_a_bounded_part_of_a_large_store(tmp_path):
    root = _indexed_library(tmp_path)
    with Library(root) as library:
        snapshot = root / VECTORS_FILE
        with open(snapshot, "ab") as f:  # as large as the store of about 30,000 photos
            f.truncate(64 << 20)
        before = _bytes_read()
        record(library.catalog, snapshot)
        recorded = _bytes_read()
        agreed = agrees(library.catalog, snapshot)
        checked = _bytes_read()

    assert agreed
    assert recorded - before < 4 << 20 and checked - recorded < 4 << 20

"""One writer at a time (a clear message for the second), readers follow checkpoints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from index_support import indexed_paths, pil_decode, write_photo

from index.folders import add_folder
from index.library import Library
from index.pipeline import Indexer
from index.scanner import scan
from index.search import SearchService

REPO = Path(__file__).resolve().parents[2]

SECOND_WRITER = """
import sys
from index.library import Library, LibraryBusyError
try:
    Library(sys.argv[1], writable=True)
except LibraryBusyError as exc:
    print(exc)
    sys.exit(3)
"""


def test_second_writer_in_another_process_gets_a_clear_message(library):
    proc = subprocess.run(
        [sys.executable, "-c", SECOND_WRITER, str(library.root)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert proc.returncode == 3, proc.stderr
    assert "being updated by another photosearch process" in proc.stdout
    assert "only one can write at a time" in proc.stdout
    assert f"pid {os.getpid()}" in proc.stdout


def test_reader_sees_new_photos_after_the_writers_checkpoint(library, tmp_path):
    folder = tmp_path / "photos"
    write_photo(folder / "a.jpg", seed=1)
    add_folder(library, str(folder))

    def index():
        diff = scan(library.catalog, library.catalog.folders())
        Indexer(library, library.encoder, pil_decode).apply(diff)

    index()
    with Library(library.root, writable=False) as reader:
        search = SearchService(reader, library.encoder)
        assert [r.path for r in search.by_text("x", k=10)] == [str(folder / "a.jpg")]
        write_photo(folder / "b.jpg", seed=2)
        index()
        assert {r.path for r in search.by_text("x", k=10)} == set(indexed_paths(library))
        assert len(search.by_text("x", k=10)) == 2


def test_reader_follows_checkpoints_by_replaying_the_log_not_reloading(library, tmp_path):
    folder = tmp_path / "photos"
    write_photo(folder / "a.jpg", seed=1)
    add_folder(library, str(folder))

    def index():
        diff = scan(library.catalog, library.catalog.folders())
        Indexer(library, library.encoder, pil_decode).apply(diff)

    index()
    with Library(library.root, writable=False) as reader:
        loaded = reader.store
        write_photo(folder / "b.jpg", seed=2)
        index()
        assert reader.store is loaded  # caught up in place: the snapshot was not read again
        assert reader.store.labels() == set(indexed_paths(library).values())
        library.store.compactor.compact()  # the writer folds its log into a new snapshot
        write_photo(folder / "c.jpg", seed=3)
        index()
        assert reader.store is not loaded  # files replaced: reloaded once
        assert reader.store.labels() == set(indexed_paths(library).values())
        assert len(reader.store) == 3


def test_library_opened_on_one_thread_and_closed_on_another_can_be_reopened(tmp_path):
    # The desktop window opens its library on a worker thread and closes it on the GUI thread.
    import threading

    opened: list[Library] = []
    worker = threading.Thread(target=lambda: opened.append(Library(tmp_path / "lib")))
    worker.start()
    worker.join()
    opened[0].close()
    again = Library(tmp_path / "lib")
    assert again.writable
    again.close()

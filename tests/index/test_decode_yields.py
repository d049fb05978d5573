"""While a window's user scrolls or types, indexing decodes one photo at a time: two decode
threads handing Python's GIL to each other kept the window's event loop waiting for tens
of ms (bench.browse). Otherwise its decode threads work side by side."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from photo_files import write_photo

from engine.images import load_image
from index.folders import add_folder
from index.library import Library
from index.pipeline import Indexer
from index.scanner import scan

pytestmark = pytest.mark.usefixtures("no_thread_leaks")


def _most_decoding_at_once(library: Library, folder: Path, user_busy: bool) -> int:
    for i in range(6):
        write_photo(folder / f"photo_{i}.jpg", color=(40 * i, 90, 160))
    add_folder(library, str(folder))
    running, most, lock = [0], [0], threading.Lock()

    def decode(path, min_side=None):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)  # long enough for the other decode thread to start one
        try:
            return load_image(path, min_side)
        finally:
            with lock:
                running[0] -= 1

    library.yield_to_user(lambda: user_busy)
    diff = scan(library.catalog, library.catalog.folders())
    summary = Indexer(library, library.encoder, decode, workers=2).apply(diff)
    assert summary.new == 6
    return most[0]


def test_indexing_decodes_one_photo_at_a_time_while_the_user_is_busy(library, tmp_path):
    assert _most_decoding_at_once(library, tmp_path / "photos", user_busy=True) == 1


def test_indexing_decodes_photos_side_by_side_when_the_user_is_not(library, tmp_path):
    assert _most_decoding_at_once(library, tmp_path / "photos", user_busy=False) == 2

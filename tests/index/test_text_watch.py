"""The watcher keeps the text in photos current: the OCR pass runs after the vector pass
on the background thread, and yields to new photos."""

from __future__ import annotations

from pathlib import Path

import pytest
from index_support import pil_decode, wait_for, write_photo

from bench.text_photos import render_text_photo
from engine.ocr import TextReader
from index.background import IndexCallbacks, IndexingService
from index.folders import add_folder
from index.text_index import TextIndex
from index.text_pass import TextPass

pytestmark = pytest.mark.timeout(300)
TIMEOUT = 120


def _found(library, word: str) -> list[str]:
    return [m.snippet for m in TextIndex(library.catalog).match([], [word])]


def test_a_new_photo_with_text_becomes_searchable_by_its_text(library, tmp_path: Path):
    folder = tmp_path / "photos"
    for i in range(3):
        write_photo(folder / f"p{i}.jpg", seed=i)
    add_folder(library, str(folder))
    text_reports = []
    callbacks = IndexCallbacks(text_progress=text_reports.append)
    text_pass = TextPass(library, TextReader())
    with IndexingService(
        library, library.encoder, pil_decode, callbacks, watch=True, text_pass=text_pass
    ) as service:
        assert service.wait_idle(TIMEOUT)
        wait_for(lambda: TextIndex(library.catalog).progress(None).done == 3, TIMEOUT)
        render_text_photo(folder / "sign.jpg", ["Platform 9", "Kings Cross"])
        assert wait_for(lambda: _found(library, "platform"), TIMEOUT) == ["Platform 9"]
    assert text_reports and text_reports[-1].done == text_reports[-1].total
    # the second pass's new threads took over the first pass's engines: building one
    # holds the GIL long enough to freeze the window
    assert text_pass.reader.built <= text_pass.workers

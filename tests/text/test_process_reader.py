"""The process's one OCR reader: a window's indexing restarts with every model change, and
its engines (built once, holding the GIL for up to a few hundred ms) serve every later
text pass, kept out of the GC's full collections, which would stop the event loop while
they traverse them."""

from __future__ import annotations

import gc

import pytest

from engine.ocr import TextReader, shared_reader
from engine.ocr_engine import unavailable_reason

pytestmark = pytest.mark.skipif(unavailable_reason() is not None, reason="no OCR engine here")


def test_every_text_pass_of_the_process_shares_one_reader():
    assert shared_reader() is shared_reader()


def test_the_process_readers_engine_adds_little_for_a_full_collection(photos_dir):
    photo = next(photos_dir.glob("*.jpg"))
    gc.collect()
    before = len(gc.get_objects())
    TextReader(for_the_process=True).read(photo)
    gc.collect()
    assert len(gc.get_objects()) - before < 2_000

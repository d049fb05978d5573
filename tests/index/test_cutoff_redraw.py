"""The good-match gate (index.cutoff) is measured again only when the library has changed
by more than a few photos: a search while indexing does not redo 64 searches after every
checkpoint, and a library that grew still gets a gate of its own."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from index.cutoff import NULL_QUERIES, REDRAW_AFTER_CHANGE, SAMPLE_SIZE, Calibration
from index.vector_store import VectorStore

DIM = 32


def _vectors(rng: np.random.Generator, n: int) -> np.ndarray:
    x = rng.normal(size=(n, DIM))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _calibration(tmp_path, photos: int) -> tuple[Calibration, VectorStore, list[int]]:
    rng = np.random.default_rng(3)
    store = VectorStore(tmp_path / "v.hnsw", DIM)
    store.add(np.arange(photos), _vectors(rng, photos))
    searches: list[int] = []
    search = store.search
    store.search = lambda *a, **k: searches.append(1) or search(*a, **k)
    nulls = lambda texts: _vectors(np.random.default_rng(len(texts)), len(texts))  # noqa: E731
    return Calibration(SimpleNamespace(store=store), nulls), store, searches


def test_a_checkpoint_of_a_few_photos_keeps_the_gate(tmp_path):
    photos = 4 * SAMPLE_SIZE
    calibration, store, searches = _calibration(tmp_path, photos)
    calibration.gate([(1.0, "text")])
    few = int(REDRAW_AFTER_CHANGE * photos)
    store.add(np.arange(photos, photos + few), _vectors(np.random.default_rng(4), few))
    searches.clear()
    calibration.gate([(1.0, "text")])
    assert searches == []


def test_a_library_that_grew_gets_its_gate_measured_again(tmp_path):
    photos = 4 * SAMPLE_SIZE
    calibration, store, searches = _calibration(tmp_path, photos)
    calibration.gate([(1.0, "text")])
    more = int(2 * REDRAW_AFTER_CHANGE * photos)
    store.add(np.arange(photos, photos + more), _vectors(np.random.default_rng(4), more))
    searches.clear()
    calibration.gate([(1.0, "text")])
    assert len(searches) == NULL_QUERIES

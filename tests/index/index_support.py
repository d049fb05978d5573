"""Helpers for index/ tests: a small deterministic encoder and photo files to feed it.

The fake encoder stands in where the encoder is not what is tested (the watcher, crash
safety): its vector is the photo's pixels at 8x8, so distinct photos get distinct vectors
and the same bytes always get the same vector. Also used by the crash-test subprocess.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from index.catalog import INDEXED
from index.library import CATALOG_FILE, VECTORS_FILE, Library, ModelBinding

FAKE_DIM = 192


class FakeEncoder:
    model_id = "fake-pixels-8x8"
    dim = FAKE_DIM
    image_size = 32

    def prepare(self, image: Image.Image) -> np.ndarray:
        small = image.convert("RGB").resize((8, 8), Image.Resampling.BILINEAR)
        return np.asarray(small, dtype=np.float32).reshape(-1)

    def encode_prepared(self, batch: Sequence[np.ndarray]) -> np.ndarray:
        x = np.stack(list(batch)).astype(np.float32)
        x -= x.mean(axis=1, keepdims=True)
        x += 1e-3  # a flat image still gets a direction
        return x / np.linalg.norm(x, axis=1, keepdims=True)

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        out = []
        for text in texts:
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "big")
            v = np.random.default_rng(seed).standard_normal(FAKE_DIM).astype(np.float32)
            out.append(v / np.linalg.norm(v))
        return np.stack(out)


def pil_decode(path: str, min_side: int | None = None) -> Image.Image:
    """Decoder for tests that do not need engine.images (plain Pillow, fully loaded)."""
    with Image.open(path) as img:
        img.load()
        return img.convert("RGB")


def bind_fake(library: Library) -> FakeEncoder:
    encoder = FakeEncoder()
    library.bind(ModelBinding("fake", None, encoder.model_id, encoder.dim))
    return encoder


def write_photo(path: Path, seed: int, size: tuple[int, int] = (96, 72)) -> Path:
    """A small JPEG of random coloured blocks, distinct for each seed."""
    rng = np.random.default_rng(seed)
    blocks = rng.integers(0, 256, size=(6, 8, 3), dtype=np.uint8)
    image = Image.fromarray(blocks, "RGB").resize(size, Image.Resampling.NEAREST)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=90)
    return path


def wait_for(predicate: Callable[[], object], timeout: float = 30.0, interval: float = 0.05):
    """Poll until ``predicate()`` is truthy; returns its value, or fails with a message."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s: {predicate}")
        time.sleep(interval)


def indexed_paths(library: Library) -> dict[str, int]:
    """path -> id of every indexed photo."""
    catalog = library.catalog
    rows = catalog.photos_by_ids(catalog.ids_with_status("indexed"))
    return {row.path: row.id for row in rows.values()}


def check_after_crash(library_dir: Path) -> int:
    """Check the library a kill left; returns how many photos it had indexed."""
    if not (library_dir / CATALOG_FILE).exists():
        return 0  # killed before the catalog existed
    with Library(library_dir, writable=False) as reader:
        if reader.binding is None:
            return 0
        indexed = set(reader.catalog.ids_with_status(INDEXED))
        labels = reader.store.labels()  # the saved file loads: never corrupt
        assert indexed <= labels, f"catalog claims vectors the store lacks: {indexed - labels}"
    with Library(library_dir) as writer:  # the writer's reconcile makes them agree
        indexed = set(writer.catalog.ids_with_status(INDEXED))
        pending = set(writer.catalog.ids_with_status("pending"))
        labels = writer.store.labels()
        assert indexed <= labels
        assert labels - indexed <= pending  # a pending photo keeps its vector until re-encoded
    assert not (library_dir / (VECTORS_FILE + ".corrupt")).exists()
    assert not list(library_dir.glob(".*.tmp-*"))
    return len(indexed)

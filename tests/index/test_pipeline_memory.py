"""Indexing memory stays flat: a batch's preprocessed pixels are dropped once it is written."""

from __future__ import annotations

import gc
import weakref

from index_support import FakeEncoder, pil_decode, write_photo

from index.folders import add_folder
from index.pipeline import Indexer
from index.scanner import scan

BATCH = 2


class CountingEncoder(FakeEncoder):
    """The fake encoder, counting how many prepared images are still alive at each encode."""

    def __init__(self) -> None:
        self.prepared: list[weakref.ref] = []
        self.alive_at_encode: list[int] = []

    def prepare(self, image):
        array = super().prepare(image)
        self.prepared.append(weakref.ref(array))
        return array

    def encode_prepared(self, batch):
        gc.collect()
        self.alive_at_encode.append(sum(ref() is not None for ref in self.prepared))
        return super().encode_prepared(batch)


def test_prepared_images_are_freed_after_their_batch(library, tmp_path):
    folder = tmp_path / "photos"
    for i in range(24):
        write_photo(folder / f"p{i:02d}.jpg", seed=i)
    encoder = CountingEncoder()
    row = add_folder(library, str(folder))
    indexer = Indexer(library, encoder, pil_decode, batch_size=BATCH, workers=2)
    summary = indexer.apply(scan(library.catalog, [row]))
    assert summary.new == 24
    # alive at most: this batch and the decode look-ahead (one batch), never the run so far
    assert max(encoder.alive_at_encode) <= 2 * BATCH

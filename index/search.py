"""Answer queries: text or image in, ranked catalog paths out."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from index.catalog import INDEXED, SKIPPED
from index.library import Library
from index.paths import display, is_utf8, shell_literal
from index.protocols import Encoder
from index.vector_store import TEXT_EF_SEARCH


@dataclass(frozen=True)
class SearchResult:
    rank: int
    score: float
    path: str
    photo_id: int

    def as_dict(self) -> dict:
        """JSON-safe: a name that is not UTF-8 shows U+FFFD in "path" and its exact bytes
        in "path_shell", a ``$'...'`` literal for bash and zsh."""
        out = {"rank": self.rank, "score": round(self.score, 6), "path": display(self.path)}
        if not is_utf8(self.path):
            out["path_shell"] = shell_literal(self.path)
        return out


class SearchService:
    """Queries against a library; safe to call while a background indexer writes to it.

    A read-only library reloads its vector store when the writer's checkpoint replaces
    the file, so searches in another process see new photos after each checkpoint.
    """

    def __init__(
        self,
        library: Library,
        encoder: Encoder,
        decode: Callable[[str, int], Image.Image] | None = None,
    ) -> None:
        self.library = library
        self.encoder = encoder
        self.decode = decode
        self.text_ef_search = TEXT_EF_SEARCH  # text vectors need a wider search (vector_store)

    def by_text(self, text: str, k: int = 10) -> list[SearchResult]:
        vector = self.encoder.encode_texts([text])[0]
        return self.by_vector(vector, k, ef=self.text_ef_search)

    def by_image(self, path: str, k: int = 10) -> list[SearchResult]:
        """Photos like the image at ``path``; a library photo reuses its stored vector."""
        return self.by_vector(self.image_vector(path), k)

    def image_vector(self, path: str) -> np.ndarray:
        row = self.library.catalog.photo_by_path(os.path.abspath(path))
        if row is not None and row.status == INDEXED and row.id in self.library.store:
            return self.library.store.get([row.id])[0]
        if self.decode is None:
            raise ValueError("image search needs a decoder")
        image = self.decode(path, self.encoder.image_size)
        return self.encoder.encode_prepared([self.encoder.prepare(image)])[0]

    def by_vector(
        self, vector: np.ndarray, k: int = 10, ef: int | None = None
    ) -> list[SearchResult]:
        labels, scores = self.library.store.search(vector, k, ef=ef)
        rows = self.library.catalog.photos_by_ids(int(x) for x in labels[0])
        results: list[SearchResult] = []
        for label, score in zip(labels[0], scores[0], strict=True):
            row = rows.get(int(label))
            # A pending row with a vector is being (re)indexed right now: its vector is
            # real, it just is not checkpointed yet. Gone or skipped rows are left out.
            if row is None or row.status == SKIPPED:
                continue
            results.append(SearchResult(len(results) + 1, float(score), row.path, row.id))
        return results

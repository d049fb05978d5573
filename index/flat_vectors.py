"""Vectors searched exactly (a matrix product), for a reader's replay of the change log.

Inserting into HNSW costs about a millisecond a vector; a reader that opens the store while
the log holds many thousands of changes (during a large indexing run) would spend minutes
on it. Kept here instead, they cost a copy to add and a scan per query (a few ms per 10,000
vectors); the writer's next compaction folds them into the snapshot the reader reloads.
"""

from __future__ import annotations

import numpy as np


class FlatVectors:
    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._vectors = np.zeros((0, dim), dtype=np.float32)
        self._labels = np.zeros(0, dtype=np.int64)
        self._rows: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, label: int) -> bool:
        return label in self._rows

    def put(self, labels: np.ndarray, vectors: np.ndarray) -> None:
        """Add or replace the vectors of ``labels``."""
        for label, vector in zip(labels.tolist(), vectors, strict=True):
            row = self._rows.get(label)
            if row is None:
                row = len(self._rows)
                if row == len(self._vectors):
                    self._grow()
                self._rows[label] = row
                self._labels[row] = label
            self._vectors[row] = vector

    def remove(self, label: int) -> None:
        row = self._rows.pop(label)
        last = len(self._rows)
        if row != last:  # move the last row into the gap
            moved = int(self._labels[last])
            self._vectors[row] = self._vectors[last]
            self._labels[row] = moved
            self._rows[moved] = row

    def get(self, label: int) -> np.ndarray:
        return self._vectors[self._rows[label]].copy()

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` most similar per query row (labels, similarities), best first."""
        count = len(self._rows)
        k = min(k, count)
        sims = queries @ self._vectors[:count].T
        top = (
            np.argpartition(-sims, k - 1, axis=1)[:, :k]
            if k < count
            else np.tile(np.arange(count), (len(queries), 1))
        )
        top_sims = np.take_along_axis(sims, top, axis=1)
        order = np.argsort(-top_sims, axis=1)
        top = np.take_along_axis(top, order, axis=1)
        return self._labels[top], np.take_along_axis(top_sims, order, axis=1)

    def _grow(self) -> None:
        size = max(1024, 2 * len(self._vectors))
        vectors = np.zeros((size, self.dim), dtype=np.float32)
        labels = np.zeros(size, dtype=np.int64)
        vectors[: len(self._vectors)] = self._vectors
        labels[: len(self._labels)] = self._labels
        self._vectors, self._labels = vectors, labels

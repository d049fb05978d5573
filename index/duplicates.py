"""Near-duplicate photos: groups from the stored vectors and content hashes, best copy first.

Two indexed photos are near-duplicates when their image vectors' cosine similarity is at
least ``threshold``, or when their files have the same content hash. Pairs come from an
ANN self-join: every stored vector queries the library's own hnswlib index for its
``neighbours`` nearest, so the work grows with N log N, not N². Groups are the connected
components of those pairs (a burst A~B~C is one group even when A and C are further
apart than the threshold).

Within a group the best copy comes first: the most pixels, then a RAW or lossless file
before a lossy one, then the larger file, then the older file (the original, before
re-saves), then the path.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from index.catalog import INDEXED, PhotoRow
from index.library import Library
from index.scanner import RAW_SUFFIXES

DEFAULT_THRESHOLD = 0.98  # bench.duplicates: the best precision/recall balance measured
DEFAULT_NEIGHBOURS = 8
CHUNK = 4096  # vectors fetched and queried per step
SELF_JOIN_EF = 48  # copies sit very close: a narrow search finds them (bench.duplicates)
LOSSLESS_SUFFIXES = (".png", ".tif", ".tiff", ".bmp")


@dataclass(frozen=True)
class Copy:
    photo_id: int
    path: str
    width: int
    height: int
    size: int
    mtime_ns: int
    similarity: float  # cosine similarity to the group's best copy (1.0 for itself)

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "width": self.width,
            "height": self.height,
            "size": self.size,
            "similarity": round(self.similarity, 4),
        }


@dataclass(frozen=True)
class DuplicateGroup:
    copies: tuple[Copy, ...]  # best first

    @property
    def best(self) -> Copy:
        return self.copies[0]

    @property
    def others(self) -> tuple[Copy, ...]:
        return self.copies[1:]


class _DisjointSets:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        root = self.parent.setdefault(x, x)
        while root != self.parent[root]:
            root = self.parent[root]
        while x != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[int]]:
        members: dict[int, list[int]] = {}
        for x in self.parent:
            members.setdefault(self.find(x), []).append(x)
        return [sorted(m) for m in members.values() if len(m) > 1]


def similar_pairs(
    library: Library,
    labels: list[int],
    threshold: float,
    neighbours: int = DEFAULT_NEIGHBOURS,
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[int, int]]:
    """(a, b) label pairs, a < b, whose vectors are at least ``threshold`` similar."""
    import numpy as np  # here: every command's parser imports this module for its default

    store = library.store
    pairs: set[tuple[int, int]] = set()
    for start in range(0, len(labels), CHUNK):
        chunk = labels[start : start + CHUNK]
        found, scores = store.search(store.get(chunk), neighbours + 1, ef=SELF_JOIN_EF)
        close = (scores >= threshold) & (found != np.asarray(chunk)[:, None])
        for row, col in zip(*np.nonzero(close), strict=True):
            a, b = chunk[row], int(found[row, col])
            pairs.add((min(a, b), max(a, b)))
        if progress:
            progress(min(start + CHUNK, len(labels)), len(labels))
    return sorted(pairs)


def find_duplicates(
    library: Library,
    threshold: float = DEFAULT_THRESHOLD,
    neighbours: int = DEFAULT_NEIGHBOURS,
    progress: Callable[[int, int], None] | None = None,
) -> list[DuplicateGroup]:
    """Groups of near-identical indexed photos, the largest group first."""
    rows = {
        r.id: r
        for r in library.catalog.photos_by_ids(sorted(library.store.labels())).values()
        if r.status == INDEXED
    }
    labels = sorted(rows)
    sets = _DisjointSets()
    for a, b in similar_pairs(library, labels, threshold, neighbours, progress):
        if a in rows and b in rows:
            sets.union(a, b)
    by_hash: dict[str, int] = {}
    for row in rows.values():
        if row.hash:
            sets.union(by_hash.setdefault(row.hash, row.id), row.id)
    groups = [_ordered(library, [rows[i] for i in members]) for members in sets.groups()]
    return sorted(groups, key=lambda g: (-len(g.copies), g.best.path))


def _dimensions(path: str) -> tuple[int, int]:
    from PIL import Image

    try:
        with Image.open(path) as image:  # reads the header only
            return image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        return 0, 0


def _format_rank(path: str) -> int:
    suffix = os.path.splitext(path)[1].lower()
    return 0 if suffix in RAW_SUFFIXES else 1 if suffix in LOSSLESS_SUFFIXES else 2


def _ordered(library: Library, rows: list[PhotoRow]) -> DuplicateGroup:
    dims = {r.id: _dimensions(r.path) for r in rows}
    rows.sort(
        key=lambda r: (
            -dims[r.id][0] * dims[r.id][1],
            _format_rank(r.path),
            -r.size,
            r.mtime_ns,
            r.path,
        )
    )
    vectors = library.store.get([r.id for r in rows])
    similarity = vectors @ vectors[0]
    return DuplicateGroup(
        tuple(
            Copy(r.id, r.path, *dims[r.id], r.size, r.mtime_ns, float(s))
            for r, s in zip(rows, similarity, strict=True)
        )
    )

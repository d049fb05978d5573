"""Answer queries: a query expression (texts, images, weights) in, ranked catalog paths out.

Each result says whether it is a good match (:mod:`index.cutoff`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np
from PIL import Image

from index.catalog import INDEXED, SKIPPED, Catalog
from index.cutoff import DEFAULT_RULE, Calibration, CutoffRule
from index.filtered_search import top_k_among
from index.library import Library
from index.meta_columns import MetaColumns
from index.meta_store import read_meta
from index.paths import display, is_utf8, shell_literal
from index.photo_filter import PhotoFilter
from index.photo_meta import PhotoMeta
from index.protocols import Encoder
from index.query import Query, Term, combine
from index.shots import one_per_shot
from index.vector_store import TEXT_EF_SEARCH


@dataclass(frozen=True)
class SearchResult:
    rank: int
    score: float
    path: str
    photo_id: int
    # Keyword-only so subclasses (FusedResult) keep their positional fields.
    good: bool = field(default=True, kw_only=True)  # before the end of good matches (cutoff)
    meta: PhotoMeta | None = field(default=None, kw_only=True, compare=False)  # with_meta()

    def as_dict(self) -> dict:
        """JSON-safe: a name that is not UTF-8 shows U+FFFD in "path" and its exact bytes
        in "path_shell", a ``$'...'`` literal for bash and zsh."""
        out = {"rank": self.rank, "score": round(self.score, 6), "path": display(self.path)}
        out["good"] = self.good
        if not is_utf8(self.path):
            out["path_shell"] = shell_literal(self.path)
        if self.meta is not None:
            out["meta"] = self.meta.as_dict()
        return out


R = TypeVar("R", bound=SearchResult)


def with_meta(catalog: Catalog, results: Sequence[R]) -> list[R]:
    """``results`` carrying their photos' metadata (date, place, camera, size, type)."""
    metas = read_meta(catalog, (r.photo_id for r in results))
    return [replace(r, meta=metas.get(r.photo_id)) for r in results]


def by_date(results: Sequence[R], newest_first: bool = True) -> list[R]:
    """``results`` (with metadata) in order of date taken, ranks renumbered; photos without
    a date last."""
    dated = [r for r in results if r.meta is not None and r.meta.taken is not None]
    ordered = sorted(dated, key=lambda r: r.meta.taken, reverse=newest_first)  # type: ignore[union-attr]
    ordered += [r for r in results if r.meta is None or r.meta.taken is None]
    return [replace(r, rank=i) for i, r in enumerate(ordered, 1)]


def good_first(results: Sequence[SearchResult]) -> list[SearchResult]:
    """Good matches before the rest, each group in its order, ranks renumbered."""
    ordered = [r for r in results if r.good] + [r for r in results if not r.good]
    return [replace(r, rank=i) for i, r in enumerate(ordered, 1)]


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
        cutoff: CutoffRule = DEFAULT_RULE,
        encode_null_texts: Callable[[list[str]], np.ndarray] | None = None,
    ) -> None:
        self.library = library
        self.encoder = encoder
        self.decode = decode
        self.text_ef_search = TEXT_EF_SEARCH  # text vectors need a wider search (vector_store)
        self.cutoff = cutoff
        self.calibration = Calibration(library, encoder.encode_texts, cutoff, encode_null_texts)
        self.columns = MetaColumns(library.catalog)  # for filters: loaded on first use

    def by_text(self, text: str, k: int = 10) -> list[SearchResult]:
        """Photos matching ``text`` taken literally (no operators: see index.query)."""
        return self.by_query(Query((Term(1.0, text=text),)), k)

    def by_image(self, path: str, k: int = 10) -> list[SearchResult]:
        """Photos like the image at ``path``; a library photo reuses its stored vector."""
        return self.by_query(Query((Term(1.0, image=path),)), k)

    def query_vector(self, query: Query) -> np.ndarray:
        """The query's combined unit vector (texts encoded in one batch)."""
        return combine([t.weight for t in query.terms], self._term_vectors(query))

    def _term_vectors(self, query: Query) -> np.ndarray:
        texts = iter(self.encoder.encode_texts(query.texts) if query.texts else [])
        return np.stack(
            [
                next(texts) if term.text is not None else self.image_vector(term.image or "")
                for term in query.terms
            ]
        )

    def by_query(
        self, query: Query, k: int = 10, flt: PhotoFilter | None = None
    ) -> list[SearchResult]:
        """The ``k`` best photos for ``query`` among those ``flt`` keeps, good matches first
        (each marked)."""
        parts = self._term_vectors(query)
        results = self.by_vector(combine(query.weights, parts), k, ef=self._ef(query), flt=flt)
        return self._marked(query, parts, results)

    def mark_good(
        self,
        query: Query,
        results: Sequence[SearchResult],
        always_good: Callable[[SearchResult], bool] | None = None,
    ) -> list[SearchResult]:
        """``results`` of ``query`` from another ranking (e.g. fused with the text in photos)
        marked by the same rule, good ones first; ``always_good`` adds exact evidence."""
        return self._marked(query, self._term_vectors(query), results, always_good)

    def _ef(self, query: Query) -> int | None:
        return self.text_ef_search if query.texts else None

    def _marked(
        self,
        query: Query,
        parts: np.ndarray,
        results: Sequence[SearchResult],
        always_good: Callable[[SearchResult], bool] | None = None,
    ) -> list[SearchResult]:
        scores = np.array([r.score for r in results])
        flags = self.calibration.flags(query, parts, scores, self._ef(query))
        marked = [
            replace(r, good=bool(f) or bool(always_good and always_good(r)))
            for r, f in zip(results, flags, strict=True)
        ]
        return good_first(marked)

    def image_vector(self, path: str) -> np.ndarray:
        row = self.library.catalog.photo_by_path(os.path.abspath(path))
        if row is not None and row.status == INDEXED and row.id in self.library.store:
            return self.library.store.get([row.id])[0]
        if self.decode is None:
            raise ValueError("image search needs a decoder")
        image = self.decode(path, self.encoder.image_size)
        return self.encoder.encode_prepared([self.encoder.prepare(image)])[0]

    def by_vector(
        self, vector: np.ndarray, k: int = 10, ef: int | None = None, flt: PhotoFilter | None = None
    ) -> list[SearchResult]:
        """The ``k`` nearest photos (among those ``flt`` keeps), one per shot (index/shots.py):
        twice k are fetched, as a RAW's twin can take a place."""
        fetch = 2 * k
        store = self.library.store
        if flt is None or flt.is_empty():
            found, found_scores = store.search(vector, fetch, ef=ef)
            labels, scores = found[0], found_scores[0]
        else:
            allowed = self.columns.matching(flt)
            labels, scores = top_k_among(store, vector, allowed, fetch, ef or store.ef_search)
        rows = self.library.catalog.photos_by_ids(int(x) for x in labels)
        results: list[SearchResult] = []
        for label, score in zip(labels, scores, strict=True):
            row = rows.get(int(label))
            # A pending row with a vector is being (re)indexed right now: its vector is
            # real, it just is not checkpointed yet. Gone or skipped rows are left out.
            if row is None or row.status == SKIPPED:
                continue
            results.append(SearchResult(len(results) + 1, float(score), row.path, row.id))
        shots = one_per_shot(self.library.catalog, results, lambda r: (r.photo_id, r.path))
        return [replace(r, rank=i) for i, r in enumerate(shots[:k], 1)]

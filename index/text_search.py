"""Text queries that also look at the text in photos: two rankings, one result list.

The content ranking is CLIP's cosine similarity; the text ranking is ``TextIndex.match``
(complete matches first, then coverage). They are fused by reciprocal rank,
score = 1/(K + clip rank) + 1/(K + text rank), with one rule on top: a photo whose text
holds every word of the query ranks above every photo that does not. Plain RRF lets a
strong CLIP near-miss outrank the photo that literally says "Gate 23"; the text index is
exact evidence, CLIP a soft one (bench.ocr measures both). A quoted phrase, or
``text_only``, keeps only photos whose text matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from index.catalog import INDEXED
from index.meta_columns import positions
from index.photo_filter import PhotoFilter
from index.search import SearchResult, SearchService
from index.shots import one_per_shot
from index.text_index import TextIndex, TextMatch
from index.text_normalise import parse_query, without_quotes

RRF_K = 60  # the usual constant: rank 1 vs 10 matters, rank 200 vs 210 barely
CLIP_DEPTH = 200  # CLIP candidates fused with the text matches


@dataclass(frozen=True)
class FusedResult(SearchResult):
    text: str | None = None  # the matched lines, when text matched
    boxes: tuple[tuple[float, ...], ...] = field(default=(), compare=False)
    why: str = "content"  # "text", "content" or "text+content"

    def as_dict(self) -> dict:
        out = {**super().as_dict(), "why": self.why}
        if self.text is not None:
            out["text"] = self.text
        return out


def holds_every_word(result: SearchResult) -> bool:
    """A fused result whose photo text holds every word of the query (exact evidence)."""
    return isinstance(result, FusedResult) and result.why == "text"


class TextAwareSearch:
    """``search(query, k)``: CLIP and photo text fused; ``text_only`` keeps text matches."""

    def __init__(self, service: SearchService, *, fusion: str = "tiered") -> None:
        self.service = service
        self.text_index = TextIndex(service.library.catalog)
        self.fusion = fusion  # "tiered" (default), "rrf", "clip" or "text" (for bench.ocr)

    def search(
        self, query: str, k: int = 10, *, text_only: bool = False, flt: PhotoFilter | None = None
    ) -> list[FusedResult]:
        phrases, terms = parse_query(query)
        matches = self.text_index.match(phrases, terms) if (phrases or terms) else []
        by_photo = self._photos_of(matches)
        if flt is not None and not flt.is_empty() and by_photo:
            ids = np.fromiter(by_photo, np.int64, len(by_photo))
            _, passing = positions(self.service.columns.matching(flt), ids)
            by_photo = {int(pid): by_photo[int(pid)] for pid in ids[passing]}
        must_match = bool(phrases) or text_only or self.fusion == "text"
        if self.fusion == "clip":
            by_photo, must_match = {}, False
        clip_query = without_quotes(query) or query
        vector = self.service.encoder.encode_texts([clip_query])[0]
        if must_match:
            clip_scores = self._cosines(vector, list(by_photo))
        else:
            depth = max(CLIP_DEPTH, k)
            ef = max(self.service.text_ef_search, depth)
            clip = self.service.by_vector(vector, depth, ef=ef, flt=flt)
            clip_scores = {r.photo_id: (r.score, r.path) for r in clip}
            missing = [pid for pid in by_photo if pid not in clip_scores]
            clip_scores.update(self._cosines(vector, missing))
        ranked = self._order(clip_scores, by_photo, must_match)
        ranked = one_per_shot(
            self.service.library.catalog,
            ranked,
            lambda pid: (pid, clip_scores.get(pid, (0, ""))[1]),
        )
        return [
            self._result(rank, pid, clip_scores, by_photo) for rank, pid in enumerate(ranked[:k], 1)
        ]

    @staticmethod
    def wants_text(query: str, text_only: bool) -> bool:
        """Does this query need the text index (a quoted phrase or ``text_only``)?"""
        return text_only or bool(parse_query(query)[0])

    def _order(self, clip_scores: dict, by_photo: dict, must_match: bool) -> list[int]:
        clip_rank = {
            pid: r for r, pid in enumerate(sorted(clip_scores, key=lambda p: -clip_scores[p][0]))
        }
        text_rank = {pid: r for r, pid in enumerate(by_photo)}  # match() order
        pool = list(by_photo) if must_match else list(clip_scores)
        if self.fusion == "text":
            return pool  # the text ranking alone
        if self.fusion == "clip" or not by_photo:
            return sorted(pool, key=lambda p: clip_rank[p])

        def fused(pid: int) -> float:
            score = 1 / (RRF_K + clip_rank[pid]) if pid in clip_rank else 0.0
            return score + (1 / (RRF_K + text_rank[pid]) if pid in text_rank else 0.0)

        def tier(pid: int) -> int:
            match = by_photo.get(pid)
            return int(self.fusion == "tiered" and match is not None and match.complete)

        return sorted(pool, key=lambda p: (-tier(p), -fused(p)))

    def _photos_of(self, matches: list[TextMatch]) -> dict[int, TextMatch]:
        """Photo id -> its text match, in match order (copies of one photo share it)."""
        if not matches:
            return {}
        hashes = [m.hash for m in matches]
        marks = ",".join("?" * len(hashes))
        rows = self.service.library.catalog.read(
            f"SELECT id, hash FROM photos WHERE status = ? AND hash IN ({marks}) ORDER BY path",
            [INDEXED, *hashes],
        )
        ids_of: dict[str, list[int]] = {}
        for photo_id, content_hash in rows:
            ids_of.setdefault(content_hash, []).append(photo_id)
        return {pid: m for m in matches for pid in ids_of.get(m.hash, [])}

    def _cosines(self, vector: np.ndarray, ids: list[int]) -> dict[int, tuple[float, str]]:
        store = self.service.library.store
        ids = [pid for pid in ids if pid in store]
        if not ids:
            return {}
        scores = store.get(ids) @ vector
        rows = self.service.library.catalog.photos_by_ids(ids)
        return {pid: (float(s), rows[pid].path) for pid, s in zip(ids, scores, strict=True)}

    def _result(self, rank: int, pid: int, clip_scores: dict, by_photo: dict) -> FusedResult:
        score, path = clip_scores[pid]
        match = by_photo.get(pid)
        if match is None:
            return FusedResult(rank, score, path, pid)
        why = "text" if match.complete else "text+content"
        return FusedResult(rank, score, path, pid, match.snippet, tuple(match.boxes), why)

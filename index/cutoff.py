"""Where good matches end: a per-query rule calibrated against random queries.

Scores alone cannot say it: score scales differ by model and by query, and a nonsense
query ("asdfgh") can score higher than a real one. What differs is the *shape* of a
query's scores over the library. A query that means something lifts a few photos far
above its typical photo; a nonsense query lifts everything about equally. So:

* a result's **lift** is its score minus the query's median score over a fixed random
  sample of the library's photos;
* the **gate** is how far random queries lift their best photo in this library with this
  model: ``NULL_QUERIES`` random character strings in the query's own script (random Han
  characters for a query written mostly in them, random Latin letters and signs otherwise:
  a model that reads Chinese lifts random Han strings much more than random Latin ones, so
  one null for both would pass Chinese nonsense or hold back English), combined in the
  query's own shape
  (the same weights; added image terms replaced by random library photos, subtracted
  terms kept as they are: does what is *added* mean more than chance?), their best
  lift's ``gate_quantile`` quantile;
* a query has good matches only when its best lift passes the gate, and then the good
  results are those whose lift is at least ``relative`` times the best lift.

bench/cutoff.py measures the precision/recall each setting trades and how often nonsense
gets no good match (docs/BENCHMARKS.md); README explains the rule.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from index.library import Library
from index.query import Query, combine
from index.query_language import CHINESE, foreign_script

NULL_QUERIES = 64
SAMPLE_SIZE = 256
# above 0.9: nonsense drawn like the null strings passes a q0.9 gate one time in ten on
# average, and more often with an unlucky draw (docs/BENCHMARKS.md, bench.cutoff)
DEFAULT_GATE_QUANTILE = 0.95
DEFAULT_RELATIVE = 0.9
LATIN, HAN = "latin", "han"  # the scripts the null strings come in
HAN_BLOCK = (0x4E00, 0x9FA6)  # CJK Unified Ideographs
_SEED = 20260
# The sample and the gates describe the library as a whole, which an indexing checkpoint's
# few hundred photos do not move; drawing them again costs 64 searches (docs/BENCHMARKS.md).
REDRAW_AFTER_CHANGE = 0.05  # of the photos measured; a library under the sample, any change


@dataclass(frozen=True)
class CutoffRule:
    gate_quantile: float = DEFAULT_GATE_QUANTILE
    relative: float = DEFAULT_RELATIVE


DEFAULT_RULE = CutoffRule()


def null_texts(count: int = NULL_QUERIES, seed: int = _SEED, script: str = LATIN) -> list[str]:
    """Random strings: Latin, half lowercase letters and half any printable characters, 3 to
    16 long; Han, 2 to 12 random ideographs."""
    rng = np.random.default_rng(seed)
    if script == HAN:
        return [
            "".join(map(chr, rng.integers(*HAN_BLOCK, int(rng.integers(2, 13)))))
            for _ in range(count)
        ]
    letters, printable = string.ascii_lowercase, string.ascii_letters + string.digits + "-.,!?#"
    out = []
    for i in range(count):
        alphabet = letters if i % 2 == 0 else printable
        out.append("".join(rng.choice(list(alphabet), int(rng.integers(3, 17)))))
    return out


def query_script(query: Query) -> str:
    """The script of the null strings for ``query``: Han when its text is mostly Han."""
    return HAN if foreign_script(" ".join(query.texts)) == CHINESE else LATIN


def good_flags(lifts: np.ndarray, gate: float, relative: float) -> np.ndarray:
    """Which results (lifts, best first) are good matches under the rule above."""
    lifts = np.asarray(lifts, dtype=np.float32)
    if lifts.size == 0 or float(lifts.max()) <= gate:
        return np.zeros(lifts.shape, dtype=bool)
    return lifts >= relative * float(lifts.max())


class Calibration:
    """The library sample and the gates, cached until the number of photos has changed by
    more than ``REDRAW_AFTER_CHANGE`` (any change while the library is smaller than the
    sample)."""

    def __init__(
        self,
        library: Library,
        encode_texts: Callable[[list[str]], np.ndarray],
        rule: CutoffRule | None = None,
        encode_null_texts: Callable[[list[str]], np.ndarray] | None = None,
    ) -> None:
        """``encode_null_texts``: how the null strings are encoded, by default
        ``encode_texts`` (the app keeps them on disk per model: they never change)."""
        self.library = library
        self.encode_texts = encode_texts
        self.encode_null_texts = encode_null_texts or encode_texts
        self.rule = rule or DEFAULT_RULE
        self._null_text_vectors: dict[str, np.ndarray] = {}
        self._key: tuple = ()
        self._size = 0
        self._sample = np.zeros((0, 0), dtype=np.float32)
        self._sample_labels: list[int] = []
        self._gates: dict[tuple, float] = {}

    def _refresh(self) -> None:
        store = self.library.store  # a reader's store is replaced after each checkpoint
        if (id(store), len(store)) == self._key or self._still_fits(len(store)):
            return
        labels = sorted(store.labels())
        rng = np.random.default_rng(_SEED)
        picked = rng.choice(len(labels), min(SAMPLE_SIZE, len(labels)), replace=False)
        self._sample_labels = [labels[i] for i in sorted(picked)]
        self._sample = store.get(self._sample_labels) if labels else self._sample
        self._key, self._size = (id(store), len(labels)), len(labels)
        self._gates.clear()

    def _still_fits(self, size: int) -> bool:
        measured = self._size
        return measured >= SAMPLE_SIZE and abs(size - measured) <= REDRAW_AFTER_CHANGE * measured

    def lifts(self, vector: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """``scores`` of ``vector``'s results minus its median score over the sample."""
        self._refresh()
        if not len(self._sample):
            return np.asarray(scores, dtype=np.float32)
        return np.asarray(scores, dtype=np.float32) - float(np.median(self._sample @ vector))

    def flags(
        self,
        query: Query,
        parts: np.ndarray,
        scores: np.ndarray,
        ef: int | None = None,
        script: str | None = None,
    ) -> np.ndarray:
        """Good or not, for results of ``query`` (its term vectors ``parts``) with ``scores``;
        ``script``: of the null strings, by default the query's own (bench.cutoff compares)."""
        kinds = [
            (t.weight, "kept" if t.weight < 0 else "text" if t.text is not None else "image")
            for t in query.terms
        ]
        kept = [p for t, p in zip(query.terms, parts, strict=True) if t.weight < 0]
        gate = self.gate(kinds, ef, kept, script or query_script(query))
        lifts = self.lifts(combine(query.weights, parts), np.asarray(scores))
        return good_flags(lifts, gate, self.rule.relative)

    def gate(
        self,
        kinds: Sequence[tuple[float, str]],
        ef: int | None = None,
        kept: Sequence[np.ndarray] = (),
        script: str = LATIN,
    ) -> float:
        """The gate for queries shaped like ``kinds``: (weight, kind) per term, kind "text"
        (replaced by random strings in ``script``) or "image" (replaced by random photos) or
        "kept" (the next of ``kept``, as it is)."""
        self._refresh()
        texts = any(kind == "text" for _, kind in kinds)
        key = (
            tuple(kinds),
            ef,
            tuple(np.asarray(v, np.float32).tobytes() for v in kept),
            script if texts else None,
        )
        if key not in self._gates:
            self._gates[key] = self._measure_gate(kinds, ef, kept, script)
        return self._gates[key]

    def _null_vectors(self, script: str) -> np.ndarray:
        if script not in self._null_text_vectors:
            vectors = self.encode_null_texts(null_texts(script=script))
            self._null_text_vectors[script] = np.asarray(vectors, np.float32)
        return self._null_text_vectors[script]

    def _measure_gate(
        self,
        kinds: Sequence[tuple[float, str]],
        ef: int | None,
        kept: Sequence[np.ndarray],
        script: str,
    ) -> float:
        if not self._size:
            return float("inf")
        texts = None
        if any(kind == "text" for _, kind in kinds):
            texts = self._null_vectors(script)
        images = self._sample
        weights = [w for w, _ in kinds]
        best_lifts = []
        for j in range(NULL_QUERIES):
            parts, own, fixed = [], [], iter(kept)
            for t, (_, kind) in enumerate(kinds):
                if kind == "image":
                    index = (j * len(kinds) + t) % len(images)
                    parts.append(images[index])
                    own.append(self._sample_labels[index])
                elif kind == "kept":
                    parts.append(next(fixed))
                else:
                    assert texts is not None
                    parts.append(texts[(j + 7 * t) % len(texts)])
            vector = combine(weights, np.stack(parts))
            found, scores = self.library.store.search(vector, 1 + len(own), ef=ef)
            others = [s for label, s in zip(found[0], scores[0], strict=True) if label not in own]
            if others:
                best_lifts.append(float(self.lifts(vector, np.array(others[:1]))[0]))
        if not best_lifts:
            return float("inf")
        return float(np.quantile(best_lifts, self.rule.gate_quantile))

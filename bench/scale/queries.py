"""Text queries through the product's search path, against an exact numpy scan."""

from __future__ import annotations

import gc
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from tqdm import tqdm

from bench._common import percentiles
from bench.scale.recall import K, exact_topk, recall_at_k
from bench.scale.vectors import ModelCase
from index.catalog import Catalog
from index.library import CATALOG_FILE, Library

WORDS = (
    "dog cat beach mountain sunset city street car bicycle child birthday cake snow forest"
    " river boat bridge flower garden kitchen dinner coffee book concert crowd horse bird"
    " moon rocket page coins astronaut portrait wedding train airport museum market"
).split()
ADJECTIVES = "red blue old small big happy dark bright foggy rainy sunny night".split()


def query_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        f"a {rng.choice(ADJECTIVES)} photo of a {rng.choice(WORDS)} and a {rng.choice(WORDS)}"
        for _ in range(count)
    ]


def sparse_query_model(case: ModelCase) -> Path:
    """The case's ``--sparsity dynamic`` file (cached): its text tower answers queries."""
    from app.calibration import calibration_for
    from engine.registry import parse_source
    from engine.sparse.convert import convert

    path = case.dir / "dynamic.sparse"
    if not path.exists():
        partial = path.with_suffix(".partial.sparse")
        spec = parse_source(case.name, case.weights)
        convert(spec, partial, "dynamic", calibration_for(spec, None))
        partial.replace(path)
    return path


class TimedEncoder:
    """The product's encoder with its text encodes timed, so that ``SearchService.by_text``
    runs unchanged and the encode stage is still measured apart from knn + catalog."""

    def __init__(self, encoder) -> None:
        self.encoder = encoder
        self.encode_ms: list[float] = []
        self.vectors: list[np.ndarray] = []

    def __getattr__(self, name: str):
        return getattr(self.encoder, name)

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = self.encoder.encode_texts(texts)
        self.encode_ms.append((time.perf_counter() - started) * 1000)
        self.vectors.extend(vectors)
        return vectors

    def reset(self) -> None:
        self.encode_ms, self.vectors = [], []


def _product_queries(
    lib_dir: Path, encoder: TimedEncoder, texts: list[str], n: int, label: str
) -> dict:
    """Each text through ``SearchService.by_text``: full latencies and the photos found."""
    from index.search import SearchService

    library = Library(lib_dir, writable=False)
    service = SearchService(library, encoder)
    for text in texts[:5]:  # warm-up: model load, first-call allocations
        service.by_text(text, K)
    encoder.reset()
    full, found = [], []
    for text in tqdm(texts, desc=label, file=sys.stderr):
        started = time.perf_counter()
        results = service.by_text(text, K)
        paths = [r.path for r in results]
        full.append((time.perf_counter() - started) * 1000)
        assert len(paths) == min(K, n)
        found.append([r.photo_id for r in results])
    library.close()
    return {"full": full, "found": found}


def _exact_queries(lib_dir: Path, base: np.ndarray, n: int, vectors: np.ndarray) -> list[float]:
    """The honest baseline: every vector in RAM, one matrix product, top k, catalog rows."""
    matrix = np.ascontiguousarray(base[:n])
    catalog = Catalog(lib_dir / CATALOG_FILE, read_only=True)
    exact = []
    for vector in vectors:
        started = time.perf_counter()
        scores = matrix @ vector
        top = np.argpartition(-scores, K)[:K]
        top = top[np.argsort(-scores[top])]
        rows = catalog.photos_by_ids(int(i) + 1 for i in top)
        paths = [rows[int(i) + 1].path for i in top]
        exact.append((time.perf_counter() - started) * 1000)
    assert len(paths) == min(K, n)
    catalog.close()
    return exact


def measure_queries(
    case: ModelCase,
    lib_dir: Path,
    base: np.ndarray,
    n: int,
    texts: list[str],
    query_model: Path | None = None,
    query_precision: str = "fp32",
) -> dict:
    """Full text-in, paths-out latency: the product's search path vs an exact numpy scan.

    ``query_model``: a ``.sparse`` file converted from the case's model, whose text tower
    encodes the queries against the same (dense-built) library. ``query_precision``: the
    dense text tower's weights (:mod:`engine.query_precision`).
    """
    from engine.encoder import ClipEncoder

    if query_model is None:
        encoder = ClipEncoder(
            case.name, case.weights, towers=("text",), query_precision=query_precision
        )
    else:
        encoder = ClipEncoder(str(query_model), None, towers=("text",))
    timed = TimedEncoder(encoder)
    label = f"queries {case.name} " + (".sparse" if query_model else query_precision)
    product = _product_queries(lib_dir, timed, texts, n, label)
    gc.collect()  # free the loaded index before the exact baseline's matrix
    vectors = np.stack(timed.vectors)
    exact = _exact_queries(lib_dir, base, n, vectors)
    enc, full = np.array(timed.encode_ms), np.array(product["full"])
    truth = exact_topk(base, vectors, n)
    return {
        "latency_queries": len(texts),
        **percentiles(full),
        **percentiles(enc, "encode_"),
        **percentiles(full - enc, "knn_catalog_"),
        **percentiles(enc + exact, "exact_"),
        **percentiles(exact, "exact_scan_catalog_"),
        "recall@10_text_queries": round(recall_at_k(np.array(product["found"]), truth), 4),
        "text_vectors": vectors,
        "text_truth": truth,
    }

"""Exact ground truth, recall@k, and the recall/latency curve over the search ef."""

from __future__ import annotations

import time

import numpy as np

from bench._common import percentiles
from index.vector_store import VectorStore

K = 10
EF_CURVE = (10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768)


def exact_topk(base: np.ndarray, queries: np.ndarray, n: int, k: int = K) -> np.ndarray:
    """Row indices of the exact top-k inner products over ``base[:n]`` (chunked scan)."""
    best_s = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 0), dtype=np.int64)
    step = 16_384
    for c in range(0, n, step):
        scores = queries @ np.asarray(base[c : min(n, c + step)]).T
        kk = min(k, scores.shape[1])
        top = np.argpartition(-scores, kk - 1, axis=1)[:, :kk]
        s = np.concatenate([best_s, np.take_along_axis(scores, top, 1)], axis=1)
        i = np.concatenate([best_i, top + c], axis=1)
        keep = np.argpartition(-s, min(k, s.shape[1]) - 1, axis=1)[:, :k]
        best_s, best_i = np.take_along_axis(s, keep, 1), np.take_along_axis(i, keep, 1)
    order = np.argsort(-best_s, axis=1)
    return np.take_along_axis(best_i, order, 1)


def recall_at_k(found_labels: np.ndarray, truth_rows: np.ndarray) -> float:
    truth = truth_rows + 1  # label = row + 1 (catalog ids start at 1)
    hits = sum(len(set(f[:K]) & set(t[:K])) for f, t in zip(found_labels, truth, strict=True))
    return hits / (K * len(truth))


def top10_overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Mean share of photos two sets of exact top-k lists (row indices) have in common."""
    return float(np.mean([len(set(x[:K]) & set(y[:K])) / K for x, y in zip(a, b, strict=True)]))


def ef_curve(store: VectorStore, queries: np.ndarray, truth: np.ndarray) -> list[dict]:
    """Recall and single-query knn latency for each ef (the store's own search)."""
    keep, out = store.ef_search, []
    for ef in EF_CURVE:
        store.ef_search = ef
        labels, _ = store.search(queries, K)
        times = []
        for q in queries[:200]:
            t = time.perf_counter()
            store.search(q, K)
            times.append((time.perf_counter() - t) * 1000)
        out.append(
            {"ef": ef, "recall@10": round(recall_at_k(labels, truth), 4)}
            | percentiles(times, "knn_")
        )
    store.ef_search = keep
    return out

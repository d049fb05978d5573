"""One model's measurements at N photos, and the M / ef_construction / ef sweep."""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np
from tqdm import tqdm

from bench._common import file_mb, measure_rss
from bench.scale.build import build_library, build_store
from bench.scale.queries import measure_queries, query_texts, sparse_query_model
from bench.scale.recall import K, ef_curve, exact_topk, recall_at_k, top10_overlap
from bench.scale.vectors import (
    ModelCase,
    base_vectors,
    fit_distribution,
    fit_summary,
    held_out_queries,
)
from index.library import CATALOG_FILE, VECTORS_FILE
from index.vector_store import VectorStore


def run_model(case: ModelCase, args: argparse.Namespace) -> dict:
    fit = fit_distribution(case, args.views, args.seed)
    n = args.n
    base = base_vectors(case, fit, n, args.seed)
    queries = held_out_queries(fit, args.queries, args.seed)
    marks = sorted({x for x in (n // 100, n // 10, n) if x >= 1000} | {n})
    checkpoints = {}
    for mark in tqdm(marks, desc="exact ground truth", file=sys.stderr):
        gt_path = case.dir / f"gt-n{mark}-q{args.queries}-seed{args.seed}.npy"
        if not gt_path.exists():
            np.save(gt_path, exact_topk(base, queries, mark))
        checkpoints[mark] = np.load(gt_path)
    built = build_library(case, base, n, args.m, args.efc, checkpoints=checkpoints, queries=queries)
    lib_dir = built.pop("dir")
    store = VectorStore(lib_dir / VECTORS_FILE, case.dim, ef_search=args.ef)
    labels, _ = store.search(queries, K)
    recall = recall_at_k(labels, checkpoints[n])
    curve = ef_curve(store, queries, checkpoints[n])
    del store
    texts = query_texts(args.latency_queries, args.seed)
    timed = measure_queries(case, lib_dir, base, n, texts)
    store = VectorStore(lib_dir / VECTORS_FILE, case.dim)
    fp32_truth = timed.pop("text_truth")
    text_curve = ef_curve(store, timed.pop("text_vectors"), fp32_truth)
    del store
    result = {
        "model": case.name,
        "weights": case.weights or "default",
        "model_id": case.model_id,
        "dim": case.dim,
        "kind": "dense",
        "n": n,
        "M": args.m,
        "ef_construction": args.efc,
        "ef_search": args.ef,
        "recall@10": round(recall, 4),
        "build_s": built["build_s"],
        "catalog_build_s": built["catalog_s"],
        "growth": built["growth"],
        "vectors_file_mb": file_mb(lib_dir / VECTORS_FILE),
        "catalog_file_mb": file_mb(lib_dir / CATALOG_FILE),
        "exact_matrix_mb": round(n * case.dim * 4 / 1e6, 1),
        **measure_rss(lib_dir),
        **timed,
        "ef_curve": curve,
        "ef_curve_text_queries": text_curve,
        "fit": fit_summary(fit, base),
    }
    for precision in reduced_precisions(args):
        rows = measure_queries(case, lib_dir, base, n, texts, query_precision=precision)
        rows.pop("text_vectors")
        rows["top10_overlap_with_fp32"] = round(
            top10_overlap(rows.pop("text_truth"), fp32_truth), 4
        )
        result[f"{precision}_queries"] = rows
    if not args.sparse:
        return result
    sparse = measure_queries(case, lib_dir, base, n, texts, sparse_query_model(case))
    sparse.pop("text_vectors"), sparse.pop("text_truth")
    result["sparse_queries"] = sparse
    return result


def reduced_precisions(args: argparse.Namespace) -> list[str]:
    """The opt-in text-tower precisions to query with too (:mod:`engine.query_precision`)."""
    return [p for p, wanted in (("fp16", args.fp16), ("int8", args.int8)) if wanted]


def sweep(case: ModelCase, args: argparse.Namespace) -> dict:
    fit = fit_distribution(case, args.views, args.seed)
    n = args.sweep_n
    base = base_vectors(case, fit, n, args.seed)
    queries = held_out_queries(fit, args.queries, args.seed)
    gt_path = case.dir / f"gt-n{n}-q{args.queries}-seed{args.seed}.npy"
    if not gt_path.exists():
        np.save(gt_path, exact_topk(base, queries, n))
    truth = np.load(gt_path)
    rows = []
    for m in args.sweep_m:
        for efc in args.sweep_efc:
            lib_dir = case.dir / f"sweep-n{n}-M{m}-efc{efc}"
            done = lib_dir / "build.json"
            if not done.exists():
                lib_dir.mkdir(parents=True, exist_ok=True)
                (lib_dir / VECTORS_FILE).unlink(missing_ok=True)
                info = build_store(lib_dir / VECTORS_FILE, base, n, m, efc, {}, queries)
                done.write_text(json.dumps(info))
            info = json.loads(done.read_text())
            store = VectorStore(lib_dir / VECTORS_FILE, case.dim)
            for point in ef_curve(store, queries, truth):
                rows.append(
                    {"M": m, "ef_construction": efc, "build_s": info["build_s"]}
                    | {"file_mb": file_mb(lib_dir / VECTORS_FILE)}
                    | point
                )
            del store
    ok = [r for r in rows if r["recall@10"] >= 0.99]
    best = min(ok, key=lambda r: (r["M"], r["ef_construction"], r["ef"])) if ok else None
    return {"model_id": case.model_id, "n": n, "rows": rows, "smallest_ok": best}

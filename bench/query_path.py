"""Text in, paths out: the product's query path against the one before the lean query loop.

    python -m bench.query_path [--n 20000] [--queries 200] [--json]

Both run ``SearchService.by_text`` on the same ``bench.scale`` library (ViT-B-32, random
weights; built by ``python -m bench.scale --n N --model ViT-B-32``, never here), query by
query in alternating order, so both see the same machine load. ``now``: the default
encoder (fp16 query blocks as one loop on one intra-op thread,
:mod:`engine.query_transformer`); ``before``: the same encoder running the query blocks
themselves (one module per block, torch's thread count); ``all rows``: the lean loop
with its last block on every row (as before ``QueryTransformer.forward_pooled``).
Reported: full, encode and knn + catalog times (wall), the full path's CPU time, the
largest difference between each path's query vectors and now's, and recall@10 of each
path's results against the exact top 10 of the store's vectors.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np
from tqdm import tqdm

from bench._common import machine_info, percentiles, weights_for
from bench.scale.queries import TimedEncoder, query_texts
from bench.scale.recall import K, exact_topk, recall_at_k
from bench.scale.vectors import base_vectors, model_case
from index.vector_store import DEFAULT_EF_CONSTRUCTION, DEFAULT_M

MODEL = "ViT-B-32"
PATHS = ("before", "all rows", "now")


def _encoders() -> dict[str, TimedEncoder]:
    from engine.encoder import ClipEncoder
    from engine.query_transformer import QueryTransformer

    weights = weights_for(MODEL, None)
    now = ClipEncoder(MODEL, weights, towers=("text",)).load()
    before = ClipEncoder(MODEL, weights, towers=("text",)).load()
    if not isinstance(before.query_blocks, QueryTransformer):
        sys.exit("this machine's default text queries do not run the query loop")
    before.query_blocks = before.query_blocks.transformer
    all_rows = ClipEncoder(MODEL, weights, towers=("text",)).load()
    all_rows.query_blocks = _AllRows(all_rows.query_blocks)
    return {
        "before": TimedEncoder(before),
        "all rows": TimedEncoder(all_rows),
        "now": TimedEncoder(now),
    }


class _AllRows:
    """The query loop without its pooled-rows entry: the last block runs on every row."""

    def __init__(self, loop) -> None:
        self.loop, self.one_thread = loop, loop.one_thread

    def __call__(self, x, attn_mask=None):
        return self.loop(x, attn_mask=attn_mask)

    def get_cast_dtype(self):
        return self.loop.get_cast_dtype()


def measure(n: int, count: int, seed: int = 0) -> dict:
    from index.library import Library
    from index.search import SearchService

    case = model_case(MODEL, weights_for(MODEL, None))
    lib_dir = case.dir / f"lib-n{n}-M{DEFAULT_M}-efc{DEFAULT_EF_CONSTRUCTION}"
    if not (lib_dir / "build.json").exists():
        sys.exit(f"no {n}-photo library: run python -m bench.scale --n {n} --model {MODEL}")
    encoders = _encoders()
    library = Library(lib_dir, writable=False)
    services = {p: SearchService(library, encoders[p]) for p in PATHS}
    texts = query_texts(count, seed)  # bench.scale's latency queries
    for text in texts[:5]:  # warm-up: first-call allocations, the store's pages
        for service in services.values():
            service.by_text(text, K)
    for encoder in encoders.values():
        encoder.reset()
    wall: dict[str, list[float]] = {p: [] for p in PATHS}
    cpu: dict[str, list[float]] = {p: [] for p in PATHS}
    found: dict[str, list[list[int]]] = {p: [] for p in PATHS}
    for i, text in enumerate(tqdm(texts, desc=f"queries at {n}", file=sys.stderr)):
        for path in PATHS if i % 2 == 0 else PATHS[::-1]:
            started, started_cpu = time.perf_counter(), time.process_time()
            results = services[path].by_text(text, K)
            _ = [r.path for r in results]
            wall[path].append((time.perf_counter() - started) * 1000)
            cpu[path].append((time.process_time() - started_cpu) * 1000)
            found[path].append([r.photo_id for r in results])
    library.close()
    vectors = {p: np.stack(encoders[p].vectors) for p in PATHS}
    base = base_vectors(case, {}, n, seed)  # written by the library's build
    truth = exact_topk(base, vectors["now"], n)
    rows = {}
    for path in PATHS:
        full, encode = np.array(wall[path]), np.array(encoders[path].encode_ms)
        rows[path] = {
            **percentiles(full),
            **percentiles(encode, "encode_"),
            **percentiles(full - encode, "knn_catalog_"),
            **percentiles(cpu[path], "cpu_"),
            "recall@10_text_queries": round(recall_at_k(np.array(found[path]), truth), 4),
        }
    difference = {p: float(np.abs(vectors["now"] - vectors[p]).max()) for p in PATHS[:-1]}
    return {"n": n, "queries": count, "paths": rows, "max_vector_difference": difference}


def format_table(result: dict, machine: dict) -> str:
    head = (
        "| path | p50 ms | p95 ms | p99 ms | encode p50 | encode p95 | knn+catalog p50 |"
        " knn+catalog p95 | CPU p50 ms | recall@10 text q |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    keys = ("p50_ms", "p95_ms", "p99_ms", "encode_p50_ms", "encode_p95_ms")
    keys += ("knn_catalog_p50_ms", "knn_catalog_p95_ms", "cpu_p50_ms")
    lines = []
    for path, row in result["paths"].items():
        cells = [f"{row[k]:.1f}" for k in keys] + [str(row["recall@10_text_queries"])]
        lines.append(f"| {path} | " + " | ".join(cells) + " |")
    now = result["paths"]["now"]
    ratios = "; ".join(
        f"{path} / now: "
        + ", ".join(
            f"{label} {result['paths'][path][k] / now[k]:.2f}x"
            for label, k in (("p50", "p50_ms"), ("p95", "p95_ms"), ("CPU p50", "cpu_p50_ms"))
        )
        + f" (largest vector difference {result['max_vector_difference'][path]:.1e})"
        for path in PATHS[:-1]
    )
    return (
        head
        + "\n".join(lines)
        + f"\n\nN = {result['n']}, {result['queries']} queries; {ratios}; "
        + f"torch threads {machine['torch_threads']}, load average "
        + f"{machine['loadavg_1_5_15']} at the start, {machine['loadavg_after']} at the end."
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.query_path", description=__doc__)
    p.add_argument("--n", type=int, default=20_000)
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)
    machine = machine_info()
    result = measure(args.n, args.queries)
    machine["loadavg_after"] = machine_info()["loadavg_1_5_15"]
    print(
        json.dumps({**result, "machine": machine}) if args.json else format_table(result, machine)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Text queries on int8 weights against fp32: encode time, cosine, and top-10 agreement.

    python -m bench.query_precision [--model ViT-B-32 ...] [--queries 200] [--n 20000]
        [--json] [--write]

For each model, two product encoders (``ClipEncoder(..., query_precision=...)``, text
tower only) encode the same queries one at a time, alternating which goes first, so both
see the same machine load. Reported: encode p50/p95 of each, the smallest cosine between a
query's int8 and fp32 vectors, and the mean overlap of their exact top-10 photos in the
``bench.scale`` store of N vectors (the same synthetic library its latency rows use).
Queries are ``bench.scale``'s (2 nouns, an adjective). Random weights for open_clip
architectures (no network), the shipped files for the demo models.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from bench._common import machine_info, percentiles, weights_for, write_section
from bench.scale.queries import query_texts
from bench.scale.recall import exact_topk, top10_overlap
from bench.scale.vectors import base_vectors, fit_distribution, model_case

HEADING = "## Text queries: int8 weights vs fp32 (issue 14)"
PRECISIONS = ("fp32", "int8")


def measure(
    name: str, weights: str | None, count: int, n: int, views: int = 8, seed: int = 0
) -> dict:
    from engine.encoder import ClipEncoder

    encoders = {
        p: ClipEncoder(name, weights, towers=("text",), query_precision=p).load()
        for p in PRECISIONS
    }
    texts = query_texts(count, seed + 1)  # not bench.scale's latency queries (seed)
    for text in texts[:3]:  # warm-up
        for encoder in encoders.values():
            encoder.encode_texts([text])
    times: dict[str, list[float]] = {p: [] for p in PRECISIONS}
    vectors: dict[str, list[np.ndarray]] = {p: [] for p in PRECISIONS}
    for i, text in enumerate(texts):
        for p in PRECISIONS if i % 2 == 0 else reversed(PRECISIONS):
            started = time.perf_counter()
            vectors[p].append(encoders[p].encode_texts([text])[0])
            times[p].append((time.perf_counter() - started) * 1000)
    fp32, int8 = (np.stack(vectors[p]) for p in PRECISIONS)
    cosine = np.sum(fp32 * int8, axis=1)  # both are unit vectors
    case = model_case(name, weights)
    base = base_vectors(case, fit_distribution(case, views, seed), n, seed)
    top_fp32, top_int8 = exact_topk(base, fp32, n), exact_topk(base, int8, n)
    overlap = top10_overlap(top_fp32, top_int8)
    rows = {p: percentiles(times[p]) for p in PRECISIONS}
    return {
        "model": name,
        "weights": encoders["fp32"].spec.weights,
        "queries": len(texts),
        "n": n,
        "rows": rows,
        "p50_ratio": rows["fp32"]["p50_ms"] / rows["int8"]["p50_ms"],
        "cosine_min": float(cosine.min()),
        "cosine_median": float(np.median(cosine)),
        "top10_overlap": float(overlap),
        "top10_identical_share": float(
            np.mean([list(a) == list(b) for a, b in zip(top_fp32, top_int8, strict=True)])
        ),
    }


def table(results: list[dict], machine: dict, command: str) -> str:
    lines = [
        HEADING,
        "",
        f"Command: `{command}`  ",
        f"Machine: {machine['cores']} cores, {machine['cpu']}, shared with other jobs and busy"
        f" (load average {machine['loadavg_1_5_15']} at the start,"
        f" {machine['loadavg_after']} at the end); torch threads {machine['torch_threads']};"
        f" {machine['date']}.",
        "",
        "One query per encode (exact truncation in both), both precisions in the same rounds"
        " (alternating order). Cosine: between a query's int8 and fp32 vectors. Top-10"
        " overlap: shared photos in the exact top 10 of the two vectors over the `bench.scale`"
        " store of N synthetic photo vectors.",
        "",
        "| model | weights | queries | fp32 p50 / p95 ms | int8 p50 / p95 ms | fp32/int8 p50"
        " | cosine min | cosine median | top-10 overlap (N) | identical top-10 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        f, i = r["rows"]["fp32"], r["rows"]["int8"]
        weights = "random" if r["weights"] == "random" else "shipped"
        lines.append(
            f"| {r['model']} | {weights} | {r['queries']}"
            f" | {f['p50_ms']:.1f} / {f['p95_ms']:.1f} | {i['p50_ms']:.1f} / {i['p95_ms']:.1f}"
            f" | {r['p50_ratio']:.2f}x | {r['cosine_min']:.5f} | {r['cosine_median']:.5f}"
            f" | {r['top10_overlap']:.4f} ({r['n']}) | {r['top10_identical_share']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", help="default: ViT-B-32, demo, demo-resnet")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--n", type=int, default=20_000, help="photos in the top-10 store")
    parser.add_argument("--views", type=int, default=8, help="as bench.scale's (its cache)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    names = args.model or ["ViT-B-32", "demo", "demo-resnet"]
    machine = machine_info()
    results = [
        measure(name, weights_for(name, None), args.queries, args.n, args.views) for name in names
    ]
    machine["loadavg_after"] = machine_info()["loadavg_1_5_15"]
    command = "python -m bench.query_precision " + " ".join(argv or sys.argv[1:])
    if args.json:
        print(json.dumps({"machine": machine, "results": results}))
    else:
        print(table(results, machine, command.strip()))
    if args.write:
        write_section(HEADING, table(results, machine, command.strip()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

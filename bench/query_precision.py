"""Text queries on fp16 or int8 weights against fp32: encode time, cosine, top-10 agreement.

    python -m bench.query_precision [--model ViT-B-32 ...] [--precision fp16 ...]
        [--queries 200] [--n 20000] [--threads N] [--json] [--write]
    python -m bench.query_precision --kernels [--threads N] [--write]

For each model, product encoders (``ClipEncoder(..., query_precision=...)``, text tower
only), fp32 and each precision asked for (default fp16 and int8), encode the same queries
one at a time, alternating the order round by round, so all see the same machine load.
Reported: encode p50/p95 (wall) and p50 CPU time of each, the smallest cosine between a
query's vector and its fp32 vector, and the mean overlap of their exact top-10 photos in the
``bench.scale`` store of N vectors (the same synthetic library its latency rows use).
Queries are ``bench.scale``'s (2 nouns, an adjective). Random weights for open_clip
architectures (no network), the shipped files for the demo models. The bar for a default:
cosine min >= 0.999 and top-10 overlap >= 0.99. ``--kernels``: the matmul kernels a
half-size tower could use, layer by layer (:mod:`bench.query_precision_kernels`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from bench._common import how_busy, machine_info, percentiles, weights_for, write_section
from bench.scale.queries import query_texts
from bench.scale.recall import exact_topk, top10_overlap
from bench.scale.vectors import base_vectors, fit_distribution, model_case

HEADING = "## Text queries: fp16 and int8 weights vs fp32 (issue 14)"
KERNELS_HEADING = "## Text queries: half-size weight kernels on this CPU (issue 14)"
REDUCED = ("fp16", "int8")
COSINE_BAR, TOP10_BAR = 0.999, 0.99


def measure(
    name: str,
    weights: str | None,
    count: int,
    n: int,
    reduced: tuple[str, ...] = REDUCED,
    views: int = 8,
    seed: int = 0,
) -> dict:
    from engine.encoder import ClipEncoder

    precisions = ("fp32", *reduced)
    encoders = {
        p: ClipEncoder(name, weights, towers=("text",), query_precision=p).load()
        for p in precisions
    }
    build_ms = {p: _blocks_build_ms(encoders["fp32"].model, p) for p in reduced}
    texts = query_texts(count, seed + 1)  # not bench.scale's latency queries (seed)
    for text in texts[:3]:  # warm-up
        for encoder in encoders.values():
            encoder.encode_texts([text])
    wall: dict[str, list[float]] = {p: [] for p in precisions}
    cpu: dict[str, list[float]] = {p: [] for p in precisions}
    vectors: dict[str, list[np.ndarray]] = {p: [] for p in precisions}
    for i, text in enumerate(texts):
        for p in precisions if i % 2 == 0 else reversed(precisions):
            started, started_cpu = time.perf_counter(), time.process_time()
            vectors[p].append(encoders[p].encode_texts([text])[0])
            cpu[p].append((time.process_time() - started_cpu) * 1000)
            wall[p].append((time.perf_counter() - started) * 1000)
    case = model_case(name, weights)
    base = base_vectors(case, fit_distribution(case, views, seed), n, seed)
    fp32 = np.stack(vectors["fp32"])
    top_fp32 = exact_topk(base, fp32, n)
    rows = {p: percentiles(wall[p]) | {"cpu_p50_ms": float(np.median(cpu[p]))} for p in precisions}
    return {
        "model": name,
        "weights": encoders["fp32"].spec.weights,
        "queries": len(texts),
        "n": n,
        "rows": rows,
        "vs_fp32": {
            p: _agreement(fp32, np.stack(vectors[p]), top_fp32, base, n)
            | {
                "blocks_build_ms": build_ms[p],
                "p50_ratio": rows["fp32"]["p50_ms"] / rows[p]["p50_ms"],
                "cpu_p50_ratio": rows["fp32"]["cpu_p50_ms"] / rows[p]["cpu_p50_ms"],
            }
            for p in reduced
        },
    }


def _blocks_build_ms(model, precision: str) -> float:
    """Time to build the query path's ``precision`` blocks (once per model load)."""
    from engine.query_precision import reduced_precision_text_blocks

    started = time.perf_counter()
    reduced_precision_text_blocks(model, precision)
    return (time.perf_counter() - started) * 1000


def _agreement(
    fp32: np.ndarray, other: np.ndarray, top_fp32: np.ndarray, base: np.ndarray, n: int
) -> dict:
    cosine = np.sum(fp32 * other, axis=1)  # both are unit vectors
    top_other = exact_topk(base, other, n)
    overlap = top10_overlap(top_fp32, top_other)
    identical = [list(a) == list(b) for a, b in zip(top_fp32, top_other, strict=True)]
    return {
        "cosine_min": float(cosine.min()),
        "cosine_median": float(np.median(cosine)),
        "top10_overlap": float(overlap),
        "top10_identical_share": float(np.mean(identical)),
        "meets_default_bars": bool(cosine.min() >= COSINE_BAR and overlap >= TOP10_BAR),
    }


def table(results: list[dict], machine: dict, command: str) -> str:
    lines = [
        HEADING,
        "",
        f"Command: `{command}`  ",
        f"Machine: {machine['cores']} cores, {machine['cpu']},"
        f" {how_busy(machine['loadavg_1_5_15'], machine['cores'])}"
        f" (load average {machine['loadavg_1_5_15']} at the start,"
        f" {machine['loadavg_after']} at the end); torch threads {machine['torch_threads']};"
        f" {machine['date']}.",
        "",
        "One query per encode (exact truncation in all), all precisions in the same rounds"
        " (alternating order). Speed-up: fp32 time / this precision's time (wall p50, and"
        " CPU time p50). Cosine: between a query's vector and its fp32 vector. Top-10"
        " overlap: shared photos in the exact top 10 of the two vectors over the `bench.scale`"
        f" store of N synthetic photo vectors. Bar for a default: cosine min >= {COSINE_BAR}"
        f" and top-10 overlap >= {TOP10_BAR}. Build ms: making the query path's blocks, once"
        " per model load.",
        "",
        "| model | weights | queries | text weights | p50 / p95 ms | CPU p50 ms | speed-up"
        " wall / CPU | cosine min | cosine median | top-10 overlap (N) | identical top-10"
        " | both bars | build ms |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in results:
        weights = "random" if r["weights"] == "random" else "shipped"
        for p, row in r["rows"].items():
            head = f"| {r['model']} | {weights} | {r['queries']} | {p}"
            times = f" | {row['p50_ms']:.1f} / {row['p95_ms']:.1f} | {row['cpu_p50_ms']:.1f}"
            if p == "fp32":
                lines.append(head + times + " | 1 | 1 | 1 | - | - | - | 0 |")
                continue
            v = r["vs_fp32"][p]
            lines.append(
                head
                + times
                + f" | {v['p50_ratio']:.2f}x / {v['cpu_p50_ratio']:.2f}x"
                + f" | {v['cosine_min']:.6f} | {v['cosine_median']:.6f}"
                + f" | {v['top10_overlap']:.4f} ({r['n']}) | {v['top10_identical_share']:.3f}"
                + f" | {'yes' if v['meets_default_bars'] else 'no'} | {v['blocks_build_ms']:.0f} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", help="default: ViT-B-32, demo, demo-resnet")
    parser.add_argument(
        "--precision", action="append", choices=REDUCED, help="against fp32; default: both"
    )
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--n", type=int, default=20_000, help="photos in the top-10 store")
    parser.add_argument("--views", type=int, default=8, help="as bench.scale's (its cache)")
    parser.add_argument("--threads", type=int, default=0, help="0: torch's default (product)")
    parser.add_argument("--kernels", action="store_true", help="the matmul kernels instead")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    command = "python -m bench.query_precision " + " ".join(argv or sys.argv[1:])
    if args.kernels:
        return _kernels(command.strip(), args.json, args.write)
    names = args.model or ["ViT-B-32", "demo", "demo-resnet"]
    reduced = tuple(args.precision or REDUCED)
    machine = machine_info()
    results = [
        measure(name, weights_for(name, None), args.queries, args.n, reduced, args.views)
        for name in names
    ]
    machine["loadavg_after"] = machine_info()["loadavg_1_5_15"]
    if args.json:
        print(json.dumps({"machine": machine, "results": results}))
    else:
        print(table(results, machine, command.strip()))
    if args.write:
        write_section(HEADING, table(results, machine, command.strip()))
    return 0


def _kernels(command: str, as_json: bool, write: bool) -> int:
    from bench.query_precision_kernels import ABOUT, kernel_table, measure_kernels

    machine = machine_info()
    rows = measure_kernels()
    machine["loadavg_after"] = machine_info()["loadavg_1_5_15"]
    if as_json:
        print(json.dumps({"machine": machine, "kernels": rows}))
        return 0
    text = "\n".join(
        [
            KERNELS_HEADING,
            "",
            f"Command: `{command}`  ",
            f"Machine: {machine['cores']} cores, {machine['cpu']},"
            f" {how_busy(machine['loadavg_1_5_15'], machine['cores'])}"
            f" (load average {machine['loadavg_1_5_15']} at the start,"
            f" {machine['loadavg_after']} at the end); torch threads"
            f" {machine['torch_threads']}; {machine['date']}.",
            "",
            ABOUT,
            "",
            kernel_table(rows),
        ]
    )
    print(text)
    if write:
        write_section(KERNELS_HEADING, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The command line: arguments, the models to run, the summary."""

from __future__ import annotations

import argparse
import json

import bench.scale
from bench._common import machine_info, weights_for
from bench.scale.report import format_sweep, format_table
from bench.scale.run import reduced_precisions, run_model, sweep
from bench.scale.vectors import model_case
from engine.query_precision import DEFAULT_QUERY_PRECISION
from index.vector_store import DEFAULT_EF_CONSTRUCTION, DEFAULT_EF_SEARCH, DEFAULT_M


def _summary() -> str:
    return (bench.scale.__doc__ or "").split("\n")[0]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ints = lambda s: [int(x) for x in s.split(",")]  # noqa: E731
    p = argparse.ArgumentParser(prog="python -m bench.scale", description=_summary())
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--model", action="append", help="repeatable; default: ViT-B-32 and demo")
    p.add_argument("--weights", help="default: random, or the shipped file for demo models")
    p.add_argument("--queries", type=int, default=1000, help="held-out queries for recall")
    p.add_argument("--latency-queries", type=int, default=200)
    p.add_argument("--views", type=int, default=8, help="augmented views per source photo")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--torch-threads", type=int, default=0, help="0: torch's default (product)")
    p.add_argument("--m", type=int, default=DEFAULT_M)
    p.add_argument("--efc", type=int, default=DEFAULT_EF_CONSTRUCTION)
    p.add_argument("--ef", type=int, default=DEFAULT_EF_SEARCH)
    p.add_argument(
        "--no-sparse", dest="sparse", action="store_false", help="skip the sparse query rows"
    )
    p.add_argument(
        "--no-fp16", dest="fp16", action="store_false", help="skip the fp16 text tower rows"
    )
    p.add_argument(
        "--no-int8", dest="int8", action="store_false", help="skip the int8 text tower rows"
    )
    p.add_argument("--sweep", action="store_true", help="run the M/efc/ef grid instead")
    p.add_argument("--sweep-n", type=int, default=100_000)
    p.add_argument("--sweep-m", type=ints, default=[8, 12, 16, 24])
    p.add_argument("--sweep-efc", type=ints, default=[64, 100, 200])
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.torch_threads:
        import torch

        torch.set_num_threads(args.torch_threads)
    names = args.model or ["ViT-B-32", "demo"]
    cases = [c for c in (model_case(n, weights_for(n, args.weights)) for n in names) if c]
    machine = machine_info()
    if args.sweep:
        out = {"machine": machine, **sweep(cases[0], args)}
        print(json.dumps(out) if args.json else format_sweep(out))
        return 0
    results = [run_model(case, args) for case in cases]
    machine["loadavg_after"] = machine_info()["loadavg_1_5_15"]
    head = results[0]
    # the top-level times are the product's text path: its default text tower where measured
    default = DEFAULT_QUERY_PRECISION if f"{DEFAULT_QUERY_PRECISION}_queries" in head else "fp32"
    product = head if default == "fp32" else head[f"{default}_queries"]
    summary = {k: head[k] for k in ("n", "recall@10", "exact_p95_ms", "rss_mb")}
    summary |= {k: product[k] for k in ("p50_ms", "p95_ms", "p99_ms")}
    out = {**summary, "query_precision": default, "build_s": head["build_s"]}
    out |= {"model": head["model"], "results": results}
    out["fp32"] = {k: head[k] for k in ("p50_ms", "p95_ms", "p99_ms", "encode_p95_ms")}
    for precision in reduced_precisions(args):
        keys = ("p50_ms", "p95_ms", "p99_ms", "encode_p95_ms", "top10_overlap_with_fp32")
        out[precision] = {k: head[f"{precision}_queries"][k] for k in keys}
    if "sparse_queries" in head:
        out["sparse"] = {
            k: head["sparse_queries"][k] for k in ("p50_ms", "p95_ms", "p99_ms", "exact_p95_ms")
        }
    out["machine"] = machine
    print(json.dumps(out) if args.json else format_table(out))
    return 0

"""Text-query encode time with and without exact text truncation, side by side.

    python -m bench.text_truncation [--model ViT-B-32] [--rounds 60] [--threads N] [--json]
        [--write]

Each round encodes one 2-6 word query (a user's search) with the model's full-length
``encode_text`` (all context positions: the previous product path) and with
``engine.text_truncation.encode_text`` (the product path now), alternating which goes first,
so both see the same machine load. Random weights: the time does not depend on them, and
the benchmark checks the two results agree (max abs difference).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time

import numpy as np
import torch

from bench._common import machine_info, percentiles, weights_for, write_section

WORDS = (
    "a dog on the beach at sunset with red sky old car parked near blue house two children"
    " playing in snow birthday cake candles mountain lake reflection city street night rain"
).split()
HEADING = "## Text queries: exact truncation (issue 14)"


def queries(count: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.sample(WORDS, rng.randint(2, 6))) for _ in range(count)]


def measure(model_name: str, weights: str | None, rounds: int) -> dict:
    from engine.models import load_clip
    from engine.registry import parse_source
    from engine.text_truncation import encode_text, needed_length

    spec = parse_source(model_name, weights_for(model_name, weights))
    model = load_clip(spec, towers=("text",))
    tokenizer = spec.tokenizer()
    texts = queries(rounds)
    ways = {
        "full length": lambda t: model.encode_text(t),
        "exact truncation": lambda t: encode_text(model, t),
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    max_diff, lengths = 0.0, []
    with torch.inference_mode():
        for tokens in (tokenizer([q]) for q in texts[:3]):  # warm-up
            for way in ways.values():
                way(tokens)
        for i, text in enumerate(texts):
            tokens = tokenizer([text])
            lengths.append(needed_length(tokens, "argmax", None))
            order = list(ways) if i % 2 == 0 else list(reversed(ways))
            out = {}
            for name in order:
                started = time.perf_counter()
                out[name] = ways[name](tokens)
                times[name].append((time.perf_counter() - started) * 1000)
            diff = (out["full length"] - out["exact truncation"]).abs().max()
            max_diff = max(max_diff, float(diff))
    rows = {name: percentiles(values) for name, values in times.items()}
    return {
        "model": spec.name,
        "weights": spec.weights,
        "queries": len(texts),
        "context_length": int(tokens.shape[1]),
        "positions_median": float(np.median(lengths)),
        "max_abs_difference": max_diff,
        "rows": rows,
        "p50_ratio": rows["full length"]["p50_ms"] / rows["exact truncation"]["p50_ms"],
        "p95_ratio": rows["full length"]["p95_ms"] / rows["exact truncation"]["p95_ms"],
        "torch_threads": torch.get_num_threads(),
    }


def table(result: dict, machine: dict) -> str:
    lines = [
        HEADING,
        "",
        f"Command: `python -m bench.text_truncation --model {result['model']}"
        f" --threads {result['torch_threads']} --write`  ",
        f"Machine: {machine['cores']} cores, {machine['cpu']}, shared with other jobs and busy"
        f" (load average {machine['loadavg_1_5_15']}); torch threads"
        f" {result['torch_threads']}; {machine['date']}.",
        "",
        f"One query per encode, {result['queries']} queries of 2-6 words, both ways in the same"
        f" rounds (alternating order). The text tower runs {result['context_length']} positions"
        f" at full length; truncated, a median of {result['positions_median']:.0f}. Largest"
        f" difference between the two vectors: {result['max_abs_difference']:.1e}.",
        "",
        "| text encode | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|",
    ]
    for name, row in result["rows"].items():
        cells = " | ".join(f"{row[key]:.1f}" for key in ("p50_ms", "p95_ms", "p99_ms"))
        lines.append(f"| {name} | {cells} |")
    lines += [
        "",
        f"Full length / truncated: **{result['p50_ratio']:.1f}x** at the median,"
        f" {result['p95_ratio']:.1f}x at p95.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="ViT-B-32")
    parser.add_argument("--weights", default=None, help="default: random for non-demo models")
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--threads", type=int, default=0, help="0: torch's default (product)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    result = measure(args.model, args.weights, args.rounds)
    machine = machine_info()
    if args.json:
        print(json.dumps({"machine": machine, **result}, indent=2))
    else:
        print(table(result, machine))
    if args.write:
        write_section(HEADING, table(result, machine))
    return 0


if __name__ == "__main__":
    sys.exit(main())

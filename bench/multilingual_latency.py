"""Query latency of the multilingual models beside ViT-B-32: text encode and the full path.

    python -m bench.multilingual_latency [--rounds 40] [--n 10000] [--threads N] [--json]
        [--write]

For each model (random weights: the time does not depend on them), a text-only encoder is
loaded the product's way (``ClipEncoder``; the multilingual models' hub tokenizer and
config come from a hub cache this benchmark writes, ``bench/hub_files.py``, with the
families' published sizes), then each round runs one query, half Chinese and half English:
the text encode alone, and ``SearchService.by_text`` (encode, knn, catalog rows) on a
library of ``--n`` random unit vectors of the model's width. All models are loaded first and
every round runs each of them in turn (rotating order), so the machine's load, which
changes, falls on all of them alike.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

from bench._common import cache_root, how_busy, machine_info, percentiles, write_section
from bench.hub_files import use_hub_cache, write_text_files

BASELINE = "ViT-B-32"
MODELS = (BASELINE, "xlm-roberta-base-ViT-B-32", "nllb-clip-base-siglip")
QUERIES = [
    "海边的狗",
    "a dog on the beach",
    "生日蛋糕上的蜡烛",
    "candles on a birthday cake",
    "去年夏天的日落",
    "sunset last summer",
    "两个蓝色方块",
    "two blue squares",
    "下雨天的城市街道",
    "a city street on a rainy day",
]
HEADING = "## Query latency of the multilingual models (issue 15)"
K = 10


def prepare_hub(root: Path) -> None:
    """The hub cache with both families' tokenizer and config (real sizes), once."""
    cache, done = root / "cache", root / "done"
    if not done.exists():
        for arch in MODELS[1:]:
            write_text_files(cache, arch, root / "work", tiny=False)
        done.touch()
    use_hub_cache(cache)


def library_of(dim: int, n: int, root: Path) -> Path:
    """A library of ``n`` random unit vectors of width ``dim`` (cached)."""
    from bench.scale.build import build_store, fill_catalog
    from bench.scale.vectors import ModelCase
    from index.library import VECTORS_FILE

    lib_dir = root / f"lib-{dim}-{n}"
    if (lib_dir / "done").exists():
        return lib_dir
    lib_dir.mkdir(parents=True, exist_ok=True)
    case = ModelCase(f"random-{dim}", None, f"random-{dim}", dim)
    fill_catalog(lib_dir, case, n)
    vectors = np.random.default_rng(0).standard_normal((n, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    build_store(lib_dir / VECTORS_FILE, vectors, n, 16, 100, {}, vectors[:1])
    (lib_dir / "done").touch()
    return lib_dir


def load(arch: str, n: int, root: Path) -> dict:
    """The text-only encoder (load time) and a search service over a library of its width."""
    from bench.scale.queries import TimedEncoder
    from engine.encoder import ClipEncoder
    from index.library import Library
    from index.search import SearchService

    started = time.perf_counter()
    encoder = ClipEncoder(arch, "random", towers=("text",)).load()
    load_s = time.perf_counter() - started
    library = Library(library_of(encoder.dim, n, root), writable=False)
    service = SearchService(library, TimedEncoder(encoder))
    for text in QUERIES[:4]:  # warm-up
        encoder.encode_texts([text])
        service.by_text(text, K)
    return {"encoder": encoder, "library": library, "service": service, "load_s": load_s}


def measure(models: list[str], rounds: int, n: int, root: Path) -> list[dict]:
    """Every model loaded first, then each round runs one query on every model (the order
    rotating), so a change in the machine's load falls on all of them alike."""
    loaded = {arch: load(arch, n, root) for arch in models}
    encode_ms: dict[str, list[float]] = {arch: [] for arch in models}
    full_ms: dict[str, list[float]] = {arch: [] for arch in models}
    for i in range(rounds):
        text = QUERIES[i % len(QUERIES)]
        for arch in models[i % len(models) :] + models[: i % len(models)]:
            parts = loaded[arch]
            t0 = time.perf_counter()
            parts["encoder"].encode_texts([text])
            encode_ms[arch].append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            results = parts["service"].by_text(text, K)
            full_ms[arch].append((time.perf_counter() - t0) * 1000)
            assert len(results) == K
    rows = []
    for arch in models:
        loaded[arch]["library"].close()
        rows.append(
            {
                "model": arch,
                "weights": "random",
                "dim": loaded[arch]["encoder"].dim,
                "load_s": round(loaded[arch]["load_s"], 1),
                "text_encode": percentiles(encode_ms[arch]),
                "full_query": percentiles(full_ms[arch]),
            }
        )
    return rows


def table(result: dict, machine: dict) -> str:
    rows = result["models"]
    base = rows[0]
    lines = [
        HEADING,
        "",
        f"Command: `python -m bench.multilingual_latency --rounds {result['rounds']}"
        f" --n {result['n']} --threads {result['torch_threads']} --write`  ",
        f"Machine: {machine['cores']} cores, {machine['cpu']},"
        f" {how_busy(machine['loadavg_1_5_15'], machine['cores'])}"
        f" (load average {machine['loadavg_1_5_15']}); torch threads"
        f" {result['torch_threads']}; {machine['date']}.",
        "",
        f"Random weights (speed does not depend on them), text tower only, on the CPU."
        f" {result['rounds']} queries each, half Chinese, half English, one per encode; every"
        " round runs all the models in turn (rotating order), so they share the machine's load."
        f" Full query: `SearchService.by_text` (encode, knn, catalog rows) on a library of"
        f" {result['n']:,} random vectors. The multilingual models' tokenizer and config come"
        " from a hub cache the benchmark writes (the families' published sizes; a small"
        " trained vocabulary, so tokenizing is a little faster than with the real 250k one).",
        "",
        "| model | width | load s | text encode p50 ms | p95 ms | full query p50 ms | p95 ms"
        " | full p95 vs ViT-B-32 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        enc, full = row["text_encode"], row["full_query"]
        ratio = full["p95_ms"] / base["full_query"]["p95_ms"]
        lines.append(
            f"| {row['model']} | {row['dim']} | {row['load_s']:.1f} |"
            f" {enc['p50_ms']:.1f} | {enc['p95_ms']:.1f} | {full['p50_ms']:.1f} |"
            f" {full['p95_ms']:.1f} | {ratio:.1f}x |"
        )
    lines += [
        "",
        "ViT-B-32's causal text tower stops at the query's last token (exact truncation);"
        " the multilingual towers (XLM-RoBERTa, NLLB's encoder) attend both ways and run all"
        " 77 positions. Load s: building the text-only model with random weights (NLLB builds"
        " its whole translation model, decoder included, before keeping the encoder).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--n", type=int, default=10_000, help="vectors in the library")
    parser.add_argument("--threads", type=int, default=0, help="0: torch's default (product)")
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    root = cache_root() / "multilingual"
    prepare_hub(root / "hub")
    models = measure(args.models, args.rounds, args.n, root)
    result = {
        "rounds": args.rounds,
        "n": args.n,
        "torch_threads": torch.get_num_threads(),
        "models": models,
    }
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

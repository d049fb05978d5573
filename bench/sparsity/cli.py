"""The command line: which models, how many repeats, where the table goes."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import torch

import bench.sparsity
from bench._common import cache_root, machine_info, write_section
from bench.sparsity.inputs import calibration_dir, photo_copy, speed_images
from bench.sparsity.report import SECTION, table
from bench.sparsity.run import MODELS, run_model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.sparsity", description=bench.sparsity.__doc__
    )
    parser.add_argument("--quick", action="store_true", help="fewer repeats, small held-out set")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--no-write", action="store_true", help="leave docs/BENCHMARKS.md alone")
    parser.add_argument("--models", help="comma-separated subset (ViT-B-32,RN50,demo,demo-resnet)")
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    machine = machine_info()
    wanted = set(args.models.split(",")) if args.models else None
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="photosearch-sparsity-") as tmp:
        work = Path(tmp)
        photos = photo_copy(work)
        ctx = {
            "work": work,
            "photos": photos,
            "images": speed_images(photos),
            "calib": calibration_dir(48),
            "heldout": cache_root() / "sources" / "sparsity-heldout",
            "count": 240 if args.quick else 1200,
            "repeats": 3 if args.quick else 7,
            "static": not args.quick,
            "calib_photos": 16 if args.quick else 48,
        }
        for model, weights in MODELS:
            if wanted is None or model in wanted:
                results[model] = run_model(model, weights, ctx)
    command = "python -m bench.sparsity " + " ".join(
        a for a in (argv if argv is not None else sys.argv[1:]) if a != "--no-write"
    )
    text = table(results, machine, command.strip())
    if not args.no_write:
        write_section(SECTION, text)
    if args.json:
        keys = (
            "image_speedup",
            "text_speedup",
            "memory_ratio",
            "recall10_dense",
            "recall10_sparse",
            "top10_overlap",
        )
        summary = {m: {k: r.get(k) for k in keys} | {"detail": r} for m, r in results.items()}
        print(json.dumps({**summary, "machine": machine}))

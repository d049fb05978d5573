"""Indexing throughput: the product's pipeline vs a naive loop, on large JPEGs.

    python -m bench.indexing [--count N] [--json] [--model NAME] [--weights W]

Photos: ``../shared/photos`` and rendered demo scenes, upscaled to 4000x3000 (each copy
with its own crop and brightness, so every file is distinct), JPEG quality 90, cached.

Pipeline: what ``photosearch index`` does (``app.context``): ``Library``, bind the model,
``index.scanner.scan``, ``Indexer.apply`` (hash, draft decode, thumbnail, preprocess in
a thread pool; batched encode; store + catalog with checkpoints), final save.
Naive: Pillow opens each photo at full size, the model's preprocess, encode in batches
of 32, ``hnswlib.add_items``. Both use the same loaded encoder and torch threads; model
loading is outside the timings.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import hnswlib
import numpy as np
from PIL import Image, ImageEnhance
from tqdm import tqdm

from bench._common import cache_root, machine_info, source_images, weights_for

SIZE = (4000, 3000)
GEN_VERSION = 1


def large_photos(count: int, seed: int = 0) -> Path:
    """A cached folder of ``count`` distinct 4000x3000 JPEGs made from the sources."""
    folder = cache_root() / "indexing" / f"large-{count}-seed{seed}-v{GEN_VERSION}"
    if (folder / ".done").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    sources = source_images()

    def make(i: int) -> None:
        rng = random.Random(seed * 1_000_003 + i)
        with Image.open(sources[i % len(sources)]) as img:
            pic = img.convert("RGB")
        w, h = pic.size
        cw = min(w, int(h * 4 / 3)) * rng.uniform(0.85, 1.0)
        ch = cw * 3 / 4
        x, y = rng.uniform(0, w - cw), rng.uniform(0, h - ch)
        pic = pic.crop((int(x), int(y), int(x + cw), int(y + ch)))
        pic = pic.resize(SIZE, Image.Resampling.BICUBIC)
        pic = ImageEnhance.Brightness(pic).enhance(rng.uniform(0.85, 1.15))
        pic.save(folder / f"IMG_{i:05d}.jpg", "JPEG", quality=90)

    with ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        list(tqdm(pool.map(make, range(count)), total=count, desc="make 4000x3000 JPEGs"))
    (folder / ".done").touch()
    return folder


def run_pipeline(photos: Path, library_dir: Path, encoder) -> dict:
    """Scan + Indexer.apply exactly as the CLI wires them (app.context)."""
    from app.context import bind, make_indexer
    from index.library import Library
    from index.scanner import scan

    shutil.rmtree(library_dir, ignore_errors=True)
    bar = tqdm(desc="pipeline", unit="photo", file=sys.stderr)
    started = time.perf_counter()
    library = Library(library_dir, writable=True)
    try:
        bind(library, encoder)
        folder = library.catalog.add_folder(str(photos))
        diff = scan(library.catalog, [folder])
        indexer = make_indexer(library, encoder)
        summary = indexer.apply(diff, lambda p: bar.update(p.done - bar.n))
        library.save()
        indexed = library.catalog.count()
    finally:
        library.close()
    seconds = time.perf_counter() - started
    bar.close()
    return {
        "seconds": round(seconds, 2),
        "indexed": indexed,
        "skipped": summary.skipped,
        "workers": indexer.workers,
        "photos_s": round(indexed / seconds, 2),
    }


def run_naive(paths: list[Path], encoder, batch_size: int = 32) -> dict:
    """Open full size, model preprocess, encode batches of 32, add to hnswlib."""
    started = time.perf_counter()
    index = hnswlib.Index(space="ip", dim=encoder.dim)
    index.init_index(max_elements=len(paths), M=16, ef_construction=100)
    done = 0
    for start in tqdm(range(0, len(paths), batch_size), desc="naive", file=sys.stderr):
        chunk = paths[start : start + batch_size]
        tensors = []
        for path in chunk:
            with Image.open(path) as img:
                tensors.append(encoder.prepare(img.convert("RGB")))
        vectors = encoder.encode_prepared(tensors)
        index.add_items(vectors, np.arange(start, start + len(chunk)))
        done += len(chunk)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "indexed": done, "photos_s": round(done / seconds, 2)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.indexing", description=__doc__.split("\n")[0])
    p.add_argument("--count", type=int, default=300)
    p.add_argument("--json", action="store_true")
    p.add_argument("--model", default="ViT-B-32")
    p.add_argument("--weights", default=None, help="default: random for non-demo models")
    p.add_argument("--torch-threads", type=int, default=0, help="0: torch's default (product)")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    from app.context import make_encoder
    from engine.registry import parse_source

    if args.torch_threads:
        import torch

        torch.set_num_threads(args.torch_threads)
    weights = weights_for(args.model, args.weights)
    encoder = make_encoder(parse_source(args.model, weights)).load()
    encoder.encode_prepared([encoder.prepare(Image.new("RGB", (256, 256)))] * 4)  # warm-up

    photos = large_photos(args.count, args.seed)
    paths = sorted(photos.glob("*.jpg"))
    machine = machine_info()
    naive = run_naive(paths, encoder)
    library_dir = cache_root() / "indexing" / "library"
    pipeline = run_pipeline(photos, library_dir, encoder)
    shutil.rmtree(library_dir, ignore_errors=True)
    out = {
        "count": len(paths),
        "photo_size": f"{SIZE[0]}x{SIZE[1]}",
        "model": args.model,
        "model_id": encoder.model_id,
        "pipeline_photos_s": pipeline["photos_s"],
        "naive_photos_s": naive["photos_s"],
        "speedup_vs_naive": round(pipeline["photos_s"] / naive["photos_s"], 2),
        "pipeline": pipeline,
        "naive": naive,
        "machine": machine | {"loadavg_after": machine_info()["loadavg_1_5_15"]},
    }
    if args.json:
        print(json.dumps(out))
    else:
        print("| path | photos | seconds | photos/s |\n|---|---|---|---|")
        for name in ("naive", "pipeline"):
            r = out[name]
            print(f"| {name} | {r['indexed']} | {r['seconds']} | {r['photos_s']} |")
        print(f"\nspeedup vs naive: {out['speedup_vs_naive']}x  machine: {json.dumps(machine)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

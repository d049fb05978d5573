"""Watching a large library: a new photo searchable, and a deleted one gone, with the
change log against rewriting the whole store at each checkpoint.

    python -m bench.watch_large [--preload 100000] [--trials 10] [--model demo-resnet]

A library is filled with ``--preload`` indexed rows and random unit vectors (the model's
dimension) under a folder that is not mounted (offline: scans leave it alone), plus a real
folder that ``IndexingService(watch=True)`` watches. Where bench.scale has built a library
of that size for the model (``--model ViT-B-32 --weights random --preload 1000000``: its
vectors are fitted to real encoder vectors), a copy of it is used instead of filling one
(the cache itself is never written). The same trials as ``bench.watch`` then
run twice on copies of that library: with the store as it is (checkpoints append to its
log) and with every checkpoint rewriting the whole store (the way before: ``save`` then a
compaction in the same thread). Writes its table into docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from bench._common import demo_scenes, machine_info, percentiles, write_section
from bench.cold_query import scale_library
from bench.scale.build import fill_catalog
from bench.watch import _copy_complete, _poll, _searchable
from engine.encoder import ClipEncoder
from engine.images import load_image
from engine.registry import best_demo_model, parse_source
from index.background import IndexingService
from index.catalog import INDEXED
from index.folders import add_folder
from index.library import VECTORS_FILE, Library
from index.search import SearchService
from index.vector_store import VectorStore

SECTION = "## Watching a large library: the change log (issue 18)"


def _preload(lib_dir: Path, encoder: ClipEncoder, spec, n: int) -> float:
    """``n`` indexed rows and random vectors; returns the seconds it took."""
    started = time.perf_counter()
    case = SimpleNamespace(
        name=spec.name, weights=spec.weights, model_id=encoder.model_id, dim=encoder.dim
    )
    fill_catalog(lib_dir, case, n)
    rng = np.random.default_rng(18)
    store = VectorStore(lib_dir / VECTORS_FILE, encoder.dim)
    for start in range(0, n, 10_000):
        end = min(n, start + 10_000)
        x = rng.standard_normal((end - start, encoder.dim), dtype=np.float32)
        store.add(range(start + 1, end + 1), x / np.linalg.norm(x, axis=1, keepdims=True))
        print(f"preloaded {end}/{n}", flush=True)
    store.save()
    store.close()
    return time.perf_counter() - started


def _trials(lib_dir: Path, encoder, sources: list[Path], trials: int, rewrite: bool) -> dict:
    library = Library(lib_dir)
    folder = lib_dir.parent / f"photos-{'rewrite' if rewrite else 'log'}"
    folder.mkdir()
    add_folder(library, str(folder))
    store = library.store
    if rewrite:  # the way before: every checkpoint writes the whole store

        def save_whole() -> None:
            store.flush()
            store.compactor.compact()

        store.save = save_whole
    service = IndexingService(library, encoder, load_image, watch=True)
    search = SearchService(library, encoder)
    service.start()
    to_search, to_saved, to_gone, cache = [], [], [], {}
    try:
        assert service.wait_idle(600)
        for i in range(trials):
            dst = folder / f"new{i:03d}{sources[i].suffix}"
            done = _copy_complete(sources[i], dst)
            _poll(lambda dst=dst: _searchable(library, search, dst, cache), 120)
            to_search.append((time.perf_counter() - done) * 1000)
            _poll(
                lambda dst=dst: (
                    (row := library.catalog.photo_by_path(str(dst))) is not None
                    and row.status == INDEXED
                ),
                120,
            )
            to_saved.append((time.perf_counter() - done) * 1000)
            service.wait_idle(120)
        for i in range(trials):
            dst = next(folder.glob(f"new{i:03d}.*"))
            vector = library.store.get([library.catalog.photo_by_path(str(dst)).id])[0]
            t = time.perf_counter()
            dst.unlink()
            _poll(
                lambda v=vector, p=str(dst): all(h.path != p for h in search.by_vector(v, 5)), 120
            )
            to_gone.append((time.perf_counter() - t) * 1000)
            service.wait_idle(120)
        photos = len(library.store)
    finally:
        service.stop()
        library.close()
    return {
        "photos": photos,
        "searchable": percentiles(to_search),
        "checkpointed": percentiles(to_saved),
        "gone": percentiles(to_gone),
    }


MODES = {"log": False, "rewrite": True}  # name: every checkpoint rewrites the whole store


def run(model: str, weights: str | None, preload: int, trials: int, modes: list[str]) -> dict:
    spec = parse_source(model, weights)
    encoder = ClipEncoder(spec=spec).load()
    sources = demo_scenes(trials, seed=7)
    tmp = Path(tempfile.mkdtemp(prefix="bench-watch-large-"))
    try:
        built = scale_library(spec.name, weights, preload)
        result = {"model": spec.name, "dim": encoder.dim, "preload": preload}
        result["source"] = "bench.scale" if built else "preloaded"
        if built is None:
            built = tmp / "built"
            result["preload_s"] = round(_preload(built, encoder, spec, preload), 1)
        result["store_mb"] = round((built / VECTORS_FILE).stat().st_size / 1e6, 1)
        for name in modes:
            lib_dir = tmp / name / "library"
            started = time.perf_counter()
            shutil.copytree(built, lib_dir)
            result[f"{name}_copy_s"] = round(time.perf_counter() - started, 1)
            result[name] = _trials(lib_dir, encoder, sources, trials, MODES[name])
            shutil.rmtree(lib_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def table(result: dict, machine: dict, command: str, load_start: list[float]) -> str:
    lines = [
        SECTION,
        "",
        f"Command: `{command}`  ",
        f"Machine: {machine['cores']} cores (shared with other jobs, busy), {machine['cpu']},"
        f" load average {load_start} at the start, {machine['loadavg_1_5_15']} at the end,"
        f" {machine['date']}. Model:"
        f" {result['model']} ({result['dim']}-d vectors).",
        "",
        f"A library of {result['preload']:,} photos"
        f" ({'fitted' if result['source'] == 'bench.scale' else 'random'} vectors, store file"
        f" {result['store_mb']} MB) with `watch` running; each new photo is copied in,"
        " searched for until found, then each is deleted and searched for until gone"
        " (p50 / p95 over the trials, from the moment the write completed).",
        "",
        "| checkpoints | new photo searchable | ... checkpointed (other processes) |"
        " deleted photo gone |",
        "|---|---|---|---|",
    ]
    for name, label in (("log", "append to the change log"), ("rewrite", "rewrite the store")):
        if name not in result:
            continue
        r = result[name]
        cells = [
            f"{r[key]['p50_ms'] / 1000:.2f} s / {r[key]['p95_ms'] / 1000:.2f} s"
            for key in ("searchable", "checkpointed", "gone")
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Target: within 2 s (p95) for a new photo and for a deleted one. The times include"
        " the watcher's debounce (0.2 s) and stable-size wait (0.4 s). The middle column is"
        " when the photo's checkpoint is on disk: from then on other processes (a"
        " command-line search, the window of another session) find it, replaying only the"
        " log's new records.",
        "",
        _source_note(result),
        "",
    ]
    return "\n".join(lines)


def _source_note(result: dict) -> str:
    if result["source"] == "bench.scale":
        missing = "" if "rewrite" in result else " The rewrite variant was not run at this size."
        return (
            f"The library is a copy of bench.scale's cached {result['preload']:,}-photo store"
            " (vectors sampled from a distribution fitted to real encoder vectors; copying it"
            f" took {result['log_copy_s'] if 'log' in result else '?'} s).{missing}"
        )
    return (
        f"Filling the library took {result['preload_s']:.0f} s here (HNSW insertion on the"
        " shared cores), so larger libraries were not run on this machine."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=best_demo_model())
    parser.add_argument("--weights", default=None)
    parser.add_argument("--preload", type=int, default=100_000)
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument(
        "--modes", nargs="+", choices=list(MODES), default=list(MODES), help="checkpoint ways"
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    load_start = [round(x, 2) for x in os.getloadavg()]
    result = run(args.model, args.weights, args.preload, args.trials, args.modes)
    machine = machine_info()
    command = (
        f"python -m bench.watch_large --model {args.model}"
        + (f" --weights {args.weights}" if args.weights else "")
        + f" --preload {args.preload} --trials {args.trials}"
        + (f" --modes {' '.join(args.modes)}" if args.modes != list(MODES) else "")
    )
    print(json.dumps({"result": result, "machine": machine, "load_start": load_start}, indent=2))
    text = table(result, machine, command, load_start)
    print(text)
    if not args.no_write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()

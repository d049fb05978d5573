"""Watching and background indexing: latency to searchable, deletes, queries under load,
and a 1,000-photo burst.

    python -m bench.watch [--model demo-resnet] [--burst 1000] [--trials 20] [--no-write]

Runs the real watcher + background service + encoder in this process on a temp library
and writes the table into docs/BENCHMARKS.md (its own section only).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bench._common import (
    demo_scenes,
    machine_info,
    percentiles,
    write_section,
)
from engine.encoder import ClipEncoder
from engine.images import load_image
from engine.registry import best_demo_model, parse_source
from index.background import IndexingService
from index.catalog import INDEXED
from index.folders import add_folder
from index.library import Library, ModelBinding
from index.search import SearchService

SECTION = "## Watching and background indexing (issue 5)"
QUERIES = ["a red circle", "two blue squares", "a photo of a cat", "green triangle on grass"]


def _sources(count: int) -> list[Path]:
    return demo_scenes(count, seed=5)


def _poll(predicate, timeout: float = 60.0, interval: float = 0.005) -> float | None:
    """Seconds until predicate() holds, None on timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if predicate():
            return time.perf_counter() - start
        time.sleep(interval)
    return None


def _copy_complete(src: Path, dst: Path) -> float:
    """Write via a copy, then fsync; returns the moment the write completed."""
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        shutil.copyfileobj(fin, fout)
        fout.flush()
        os.fsync(fout.fileno())
    return time.perf_counter()


def _searchable(library: Library, search: SearchService, path: Path, vector_cache: dict) -> bool:
    row = library.catalog.photo_by_path(str(path))
    if row is None or row.id not in library.store:
        return False
    if row.id not in vector_cache:
        vector_cache[row.id] = library.store.get([row.id])[0]
    hits = search.by_vector(vector_cache[row.id], k=1)
    return bool(hits) and hits[0].path == str(path)


def _text_latencies(search: SearchService, n: int, pause_s: float = 0.0) -> list[float]:
    out = []
    for i in range(n):
        t = time.perf_counter()
        search.by_text(QUERIES[i % len(QUERIES)], k=10)
        out.append((time.perf_counter() - t) * 1000)
        if pause_s:
            time.sleep(pause_s)
    return out


def run(model: str | None, weights: str | None, burst: int, trials: int) -> dict:
    spec = parse_source(model, weights)
    encoder = ClipEncoder(spec=spec).load()
    sources = _sources(max(burst, trials * 2, 300))
    tmp = Path(tempfile.mkdtemp(prefix="bench-watch-"))
    folder = tmp / "photos"
    folder.mkdir()
    for i, src in enumerate(sources[:20]):
        shutil.copyfile(src, folder / f"seed{i:03d}{src.suffix}")
    library = Library(tmp / "library")
    library.bind(ModelBinding(spec.name, spec.weights, encoder.model_id, encoder.dim))
    add_folder(library, str(folder))
    service = IndexingService(library, encoder, load_image, watch=True)
    search = SearchService(library, encoder)
    result: dict = {"model": spec.name, "model_id": encoder.model_id}
    service.start()
    try:
        assert service.wait_idle(600)
        search.by_text("warm up", k=5)

        # 1. New photo searchable (in this process) / checkpointed (other processes).
        to_search, to_saved, to_gone = [], [], []
        cache: dict = {}
        for i in range(trials):
            src = sources[20 + i]
            dst = folder / f"new{i:03d}{src.suffix}"
            done = _copy_complete(src, dst)
            ok = _poll(lambda dst=dst: _searchable(library, search, dst, cache), 60)
            to_search.append(
                (time.perf_counter() - done) * 1000 if ok is not None else float("inf")
            )
            _poll(
                lambda dst=dst: (
                    (row := library.catalog.photo_by_path(str(dst))) is not None
                    and row.status == INDEXED
                ),
                60,
            )
            to_saved.append((time.perf_counter() - done) * 1000)
            service.wait_idle(60)
            time.sleep(0.2)
        # 2. Deleted photo gone from results.
        for i in range(trials):
            dst = next(folder.glob(f"new{i:03d}.*"))
            row = library.catalog.photo_by_path(str(dst))
            vector = library.store.get([row.id])[0]
            t = time.perf_counter()
            dst.unlink()
            _poll(lambda v=vector, p=str(dst): all(h.path != p for h in search.by_vector(v, 5)), 60)
            to_gone.append((time.perf_counter() - t) * 1000)
            service.wait_idle(60)
        result["new_photo_searchable"] = percentiles(to_search)
        result["new_photo_checkpointed"] = percentiles(to_saved)
        result["deleted_photo_gone"] = percentiles(to_gone)

        # 3. Text search idle vs during heavy indexing (same queries, same process).
        idle = _text_latencies(search, 60)
        staging = tmp / "staging"
        staging.mkdir()
        for i, src in enumerate(sources[:burst]):
            shutil.copyfile(src, staging / f"b{i:04d}{src.suffix}")
        before = library.catalog.count(INDEXED)
        t0 = time.perf_counter()
        os.rename(staging, folder / "burst")  # 4. the burst arrives at once
        busy: list[float] = []
        _poll(lambda: service.busy, 30)
        while service.busy:
            busy.extend(_text_latencies(search, 1, pause_s=0.05))
        assert service.wait_idle(3600)
        burst_s = time.perf_counter() - t0
        result["search_idle"] = percentiles(idle)
        result["search_during_indexing"] = percentiles(busy)
        result["search_samples_during_indexing"] = len(busy)
        result["search_added_p50_ms"] = round(statistics.median(busy) - statistics.median(idle), 3)

        catalog = library.catalog
        on_disk = {str(p) for p in (folder / "burst").rglob("*") if p.is_file()}
        rows = catalog.photos_under(str(folder / "burst"))
        indexed = [r for r in rows if r.status == INDEXED]
        labels = library.store.labels()
        result["burst"] = {
            "photos": burst,
            "indexed": len(indexed),
            "missing": len(on_disk - {r.path for r in indexed}),
            "duplicate_rows": len(rows) - len({r.path for r in rows}),
            "store_agrees": labels == set(catalog.ids_with_status(INDEXED)),
            "total_indexed_delta": catalog.count(INDEXED) - before,
            "seconds": round(burst_s, 1),
            "photos_per_s": round(burst / burst_s, 1),
        }
    finally:
        service.stop()
        library.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def table(result: dict, machine: dict, command: str) -> str:
    b = result["burst"]
    ns, cp, gone = (
        result["new_photo_searchable"],
        result["new_photo_checkpointed"],
        result["deleted_photo_gone"],
    )
    idle, busy = result["search_idle"], result["search_during_indexing"]
    lines = [
        SECTION,
        "",
        f"Command: `{command}`  ",
        f"Machine: {machine['cores']} cores, {machine['cpu']}, torch threads"
        f" {machine['torch_threads']}, load average {machine['loadavg_1_5_15']},"
        f" {machine['date']}. Model: {result['model']} (`{result['model_id']}`).",
        "",
        "| measure | target | p50 | p95 | result |",
        "|---|---|---|---|---|",
        f"| new photo searchable after its write completes (same process) | ≤ 2 s p95 |"
        f" {ns['p50_ms'] / 1000:.2f} s | {ns['p95_ms'] / 1000:.2f} s |"
        f" {'met' if ns['p95_ms'] <= 2000 else 'missed'} |",
        f"| ... checkpointed: visible to other processes | — | {cp['p50_ms'] / 1000:.2f} s |"
        f" {cp['p95_ms'] / 1000:.2f} s | |",
        f"| deleted photo gone from results | ≤ 2 s p95 | {gone['p50_ms'] / 1000:.2f} s |"
        f" {gone['p95_ms'] / 1000:.2f} s | {'met' if gone['p95_ms'] <= 2000 else 'missed'} |",
        f"| text search, idle | — | {idle['p50_ms']:.1f} ms | {idle['p95_ms']:.1f} ms | |",
        f"| text search during heavy indexing ({result['search_samples_during_indexing']}"
        f" queries) | ≤ idle + 50 ms | {busy['p50_ms']:.1f} ms | {busy['p95_ms']:.1f} ms |"
        f" +{result['search_added_p50_ms']:.1f} ms p50,"
        f" +{busy['p95_ms'] - idle['p95_ms']:.1f} ms p95 |",
        f"| {b['photos']} photos arriving in one burst | all, no duplicates |"
        f" {b['seconds']} s | {b['photos_per_s']} photos/s |"
        f" {b['indexed']} indexed, {b['missing']} missing, {b['duplicate_rows']} duplicates,"
        f" store agrees: {b['store_agrees']} |",
        "",
        "Latencies are measured from the moment the copy was fsynced to the first search"
        " that returns the photo (or no longer returns it). They include the watcher's"
        " debounce (0.2 s) and stable-size wait (0.4 s). Other processes see a photo once the"
        " writer's checkpoint saves the store (second row).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=best_demo_model())
    parser.add_argument("--weights", default=None)
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    result = run(args.model, args.weights, args.burst, args.trials)
    machine = machine_info()
    command = f"python -m bench.watch --model {args.model}" + (
        f" --weights {args.weights}" if args.weights else ""
    )
    if args.burst != 1000:
        command += f" --burst {args.burst}"
    print(json.dumps({"result": result, "machine": machine}, indent=2))
    text = table(result, machine, command)
    print(text)
    if not args.no_write:
        write_section(SECTION, text)


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    main()

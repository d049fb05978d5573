"""Building the library with the product's own classes, cached per size and HNSW setting."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm

from bench.scale.recall import K, recall_at_k
from bench.scale.vectors import ModelCase
from index.catalog import INDEXED, Catalog
from index.library import CATALOG_FILE, VECTORS_FILE, Library, ModelBinding
from index.vector_store import VectorStore


def build_store(
    path: Path,
    base: np.ndarray,
    n: int,
    m: int,
    efc: int,
    checkpoints: dict[int, np.ndarray],
    queries: np.ndarray,
    batch: int = 1024,
) -> dict:
    """Grow a store from empty by ``add`` batches; recall measured at each checkpoint."""
    store = VectorStore(path, base.shape[1], m=m, ef_construction=efc)
    growth, started = [], time.perf_counter()
    bar = tqdm(total=n, desc=f"build M={m} efc={efc}", file=sys.stderr, unit="vec")
    bounds = sorted({*range(batch, n, batch), *(mark for mark in checkpoints if mark < n), n})
    for c, end in zip([0, *bounds[:-1]], bounds, strict=True):
        store.add(np.arange(c + 1, end + 1), np.asarray(base[c:end]))
        bar.update(end - c)
        if end in checkpoints:
            labels, _ = store.search(queries, K)
            growth.append(
                {
                    "n": end,
                    "capacity": store.capacity,
                    "recall@10": round(recall_at_k(labels, checkpoints[end]), 4),
                }
            )
    bar.close()
    store.save()
    return {"build_s": round(time.perf_counter() - started, 1), "growth": growth}


def build_library(case: ModelCase, base: np.ndarray, n: int, m: int, efc: int, **kw) -> dict:
    lib_dir = case.dir / f"lib-n{n}-M{m}-efc{efc}"
    done = lib_dir / "build.json"
    if done.exists():
        return {**json.loads(done.read_text()), "dir": lib_dir}
    lib_dir.mkdir(parents=True, exist_ok=True)
    for name in (CATALOG_FILE, VECTORS_FILE):
        (lib_dir / name).unlink(missing_ok=True)
    started = time.perf_counter()
    fill_catalog(lib_dir, case, n)
    catalog_s = round(time.perf_counter() - started, 1)
    info = build_store(lib_dir / VECTORS_FILE, base, n, m, efc, **kw)
    info.update(catalog_s=catalog_s, n=n, M=m, ef_construction=efc)
    done.write_text(json.dumps(info))
    return {**info, "dir": lib_dir}


def fill_catalog(lib_dir: Path, case: ModelCase, n: int, batch: int = 50_000) -> None:
    """N indexed rows, ids 1..N, in one transaction (executemany)."""
    library = Library(lib_dir, writable=True)
    try:
        library.bind(ModelBinding(case.name, case.weights, case.model_id, case.dim))
        catalog: Catalog = library.catalog
        folder = catalog.add_folder("/photos")
        now = time.time()
        with catalog.transaction() as db:
            for c in tqdm(range(0, n, batch), desc="catalog rows", file=sys.stderr):
                rows = [
                    (
                        i,
                        f"/photos/{i // 1000:04d}/IMG_{i:07d}.jpg",
                        folder.id,
                        3_000_000 + i % 997,
                        1_700_000_000_000_000_000 + i,
                        f"{i:016x}",
                        INDEXED,
                        case.model_id,
                        now,
                    )
                    for i in range(c + 1, min(n, c + batch) + 1)
                ]
                db.executemany(
                    "INSERT INTO photos(id, path, folder_id, size, mtime_ns, hash, status,"
                    " model_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
    finally:
        library.close()

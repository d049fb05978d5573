"""A million photos: recall, latency, memory and build time of the product's vector search.

    python -m bench.scale [--n N] [--json] [--model NAME ...] [--weights W]
    python -m bench.scale --sweep [--sweep-n 100000]      # M / ef_construction / ef grid

Vectors: the chosen model encodes real photos (``../shared/photos`` plus rendered demo
scenes, each with random crops/flips/brightness), a Gaussian with the fitted mean and
low-rank covariance (top principal components + isotropic residual) is sampled and every
sample normalised. Queries are 1,000 more samples, never inserted (held out).

The library is built with the product's own classes: ``VectorStore.add`` in batches
from an empty store (so capacity grows x1.2 as it would for a growing library) and a
``Catalog`` with N rows. The query path is ``SearchService`` (``by_text`` = encode the
text with the product's text encoder, then ``by_vector``: knn + catalog lookup), timed
per stage. Everything built is cached under the user's cache dir.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from bench._common import (
    augmented_views,
    cache_root,
    file_mb,
    machine_info,
    measure_rss,
    percentiles,
    slug,
    source_images,
    weights_for,
)
from index.catalog import INDEXED, Catalog
from index.library import CATALOG_FILE, VECTORS_FILE, Library, ModelBinding
from index.vector_store import (
    DEFAULT_EF_CONSTRUCTION,
    DEFAULT_EF_SEARCH,
    DEFAULT_M,
    VectorStore,
)

GEN_VERSION = 1  # bump when the vector recipe changes (invalidates the cache)
CHUNK = 65_536
K = 10
RANK = 64
EF_CURVE = (10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768)
WORDS = (
    "dog cat beach mountain sunset city street car bicycle child birthday cake snow forest"
    " river boat bridge flower garden kitchen dinner coffee book concert crowd horse bird"
    " moon rocket page coins astronaut portrait wedding train airport museum market"
).split()
ADJECTIVES = "red blue old small big happy dark bright foggy rainy sunny night".split()


@dataclass
class ModelCase:
    name: str
    weights: str | None
    model_id: str
    dim: int

    @property
    def dir(self) -> Path:
        return cache_root() / "scale" / slug(self.model_id) / f"v{GEN_VERSION}"


# -- the vector distribution ------------------------------------------------------------
def fit_distribution(case: ModelCase, views: int, seed: int) -> dict[str, np.ndarray]:
    """Encode augmented views of real photos; fit mean + top-RANK covariance + residual."""
    path = case.dir / f"fit-views{views}-seed{seed}.npz"
    if path.exists():
        return dict(np.load(path))
    from engine.encoder import ClipEncoder

    encoder = ClipEncoder(case.name, case.weights, towers=("image",))
    rng = random.Random(seed)
    sources = source_images()
    real: list[np.ndarray] = []
    for src in tqdm(sources, desc=f"fit {case.name}: encode photos", file=sys.stderr):
        real.append(encoder.encode_images(augmented_views(src, views, rng)))
    x = np.concatenate(real).astype(np.float64)
    mean = x.mean(axis=0)
    _, s, vt = np.linalg.svd(x - mean, full_matrices=False)
    eig = s**2 / max(1, len(x) - 1)
    rank = min(RANK, len(eig) - 1)
    residual = float(max(eig[rank:].sum() / max(1, case.dim - rank), 1e-8))
    fit = {
        "mean": mean,
        "components": vt[:rank],
        "scales": np.sqrt(eig[:rank]),
        "residual_std": np.array(np.sqrt(residual)),
        "real": x.astype(np.float32),
        "sources": np.array([p.name for p in sources]),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **fit)
    return fit


def sample_chunk(fit: dict[str, np.ndarray], chunk: int, seed: int, size: int) -> np.ndarray:
    rng = np.random.default_rng([seed, chunk])
    z = rng.standard_normal((size, len(fit["scales"]))) * fit["scales"]
    noise = rng.standard_normal((size, len(fit["mean"]))) * float(fit["residual_std"])
    x = fit["mean"] + z @ fit["components"] + noise
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def base_vectors(case: ModelCase, fit: dict, n: int, seed: int) -> np.ndarray:
    """The first ``n`` vectors of a chunk-seeded stream (so 20k is a prefix of 1M)."""
    path = case.dir / f"base-n{n}-seed{seed}.npy"
    if not path.exists():
        tmp = path.with_suffix(".tmp.npy")
        out = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.float32, shape=(n, case.dim))
        for c in tqdm(range(0, n, CHUNK), desc="sample vectors", file=sys.stderr):
            out[c : c + CHUNK] = sample_chunk(fit, c // CHUNK, seed, CHUNK)[: n - c]
        out.flush()
        del out
        tmp.replace(path)
    return np.load(path, mmap_mode="r")


def held_out_queries(fit: dict, count: int, seed: int) -> np.ndarray:
    return sample_chunk(fit, 10**9, seed, count)  # a chunk index the base never uses


def exact_topk(base: np.ndarray, queries: np.ndarray, n: int, k: int = K) -> np.ndarray:
    """Row indices of the exact top-k inner products over ``base[:n]`` (chunked scan)."""
    best_s = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 0), dtype=np.int64)
    step = 16_384
    for c in range(0, n, step):
        scores = queries @ np.asarray(base[c : min(n, c + step)]).T
        kk = min(k, scores.shape[1])
        top = np.argpartition(-scores, kk - 1, axis=1)[:, :kk]
        s = np.concatenate([best_s, np.take_along_axis(scores, top, 1)], axis=1)
        i = np.concatenate([best_i, top + c], axis=1)
        keep = np.argpartition(-s, min(k, s.shape[1]) - 1, axis=1)[:, :k]
        best_s, best_i = np.take_along_axis(s, keep, 1), np.take_along_axis(i, keep, 1)
    order = np.argsort(-best_s, axis=1)
    return np.take_along_axis(best_i, order, 1)


def recall_at_k(found_labels: np.ndarray, truth_rows: np.ndarray) -> float:
    truth = truth_rows + 1  # label = row + 1 (catalog ids start at 1)
    hits = sum(len(set(f[:K]) & set(t[:K])) for f, t in zip(found_labels, truth, strict=True))
    return hits / (K * len(truth))


# -- building the library -----------------------------------------------------------------
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


# -- measuring ----------------------------------------------------------------------------
def query_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        f"a {rng.choice(ADJECTIVES)} photo of a {rng.choice(WORDS)} and a {rng.choice(WORDS)}"
        for _ in range(count)
    ]


def ef_curve(store: VectorStore, queries: np.ndarray, truth: np.ndarray) -> list[dict]:
    """Recall and single-query knn latency for each ef (the store's own search)."""
    keep, out = store.ef_search, []
    for ef in EF_CURVE:
        store.ef_search = ef
        labels, _ = store.search(queries, K)
        times = []
        for q in queries[:200]:
            t = time.perf_counter()
            store.search(q, K)
            times.append((time.perf_counter() - t) * 1000)
        out.append(
            {"ef": ef, "recall@10": round(recall_at_k(labels, truth), 4)}
            | percentiles(times, "knn_")
        )
    store.ef_search = keep
    return out


def sparse_query_model(case: ModelCase) -> Path:
    """The case's ``--sparsity dynamic`` file (cached): its text tower answers queries."""
    from app.calibration import calibration_for
    from engine.registry import parse_source
    from engine.sparse.convert import convert

    path = case.dir / "dynamic.sparse"
    if not path.exists():
        partial = path.with_suffix(".partial.sparse")
        spec = parse_source(case.name, case.weights)
        convert(spec, partial, "dynamic", calibration_for(spec, None))
        partial.replace(path)
    return path


def measure_queries(
    case: ModelCase,
    lib_dir: Path,
    base: np.ndarray,
    n: int,
    texts: list[str],
    query_model: Path | None = None,
) -> dict:
    """Full text-in, paths-out latency: product path vs an exact numpy scan.

    ``query_model``: a ``.sparse`` file converted from the case's model, whose text tower
    encodes the queries against the same (dense-built) library.
    """
    from engine.encoder import ClipEncoder
    from index.search import SearchService

    if query_model is None:
        encoder = ClipEncoder(case.name, case.weights, towers=("text",))
    else:
        encoder = ClipEncoder(str(query_model), None, towers=("text",))
    library = Library(lib_dir, writable=False)
    service = SearchService(library, encoder)
    for text in texts[:5]:  # warm-up: model load, first-call allocations
        service.by_text(text, K)
    enc, hnsw, vectors, found = [], [], [], []
    label = f"queries {case.name}" + (" sparse" if query_model else "")
    for text in tqdm(texts, desc=label, file=sys.stderr):
        t0 = time.perf_counter()
        vector = encoder.encode_texts([text])[0]  # == SearchService.by_text, timed per stage
        t1 = time.perf_counter()
        results = service.by_vector(vector, K, ef=service.text_ef_search)
        paths = [r.path for r in results]
        t2 = time.perf_counter()
        assert len(paths) == min(K, n)
        enc.append((t1 - t0) * 1000)
        hnsw.append((t2 - t1) * 1000)
        vectors.append(vector)
        found.append([r.photo_id for r in results])
    library.close()
    del service, library  # free the loaded index before the exact baseline's matrix
    gc.collect()

    matrix = np.ascontiguousarray(base[:n])  # the exact baseline holds every vector in RAM
    catalog = Catalog(lib_dir / CATALOG_FILE, read_only=True)
    exact = []
    for vector in vectors:
        t0 = time.perf_counter()
        scores = matrix @ vector
        top = np.argpartition(-scores, K)[:K]
        top = top[np.argsort(-scores[top])]
        rows = catalog.photos_by_ids(int(i) + 1 for i in top)
        paths = [rows[int(i) + 1].path for i in top]
        exact.append((time.perf_counter() - t0) * 1000)
    catalog.close()
    del matrix
    truth = exact_topk(base, np.stack(vectors), n)
    full = np.add(enc, hnsw)
    return {
        "latency_queries": len(texts),
        **percentiles(full),
        **percentiles(enc, "encode_"),
        **percentiles(hnsw, "knn_catalog_"),
        **percentiles(np.add(enc, exact), "exact_"),
        **percentiles(exact, "exact_scan_catalog_"),
        "recall@10_text_queries": round(recall_at_k(np.array(found), truth), 4),
        "text_vectors": np.stack(vectors),
        "text_truth": truth,
    }


def run_model(case: ModelCase, args: argparse.Namespace) -> dict:
    fit = fit_distribution(case, args.views, args.seed)
    n = args.n
    base = base_vectors(case, fit, n, args.seed)
    queries = held_out_queries(fit, args.queries, args.seed)
    marks = sorted({x for x in (n // 100, n // 10, n) if x >= 1000} | {n})
    checkpoints = {}
    for mark in tqdm(marks, desc="exact ground truth", file=sys.stderr):
        gt_path = case.dir / f"gt-n{mark}-q{args.queries}-seed{args.seed}.npy"
        if not gt_path.exists():
            np.save(gt_path, exact_topk(base, queries, mark))
        checkpoints[mark] = np.load(gt_path)
    built = build_library(case, base, n, args.m, args.efc, checkpoints=checkpoints, queries=queries)
    lib_dir = built.pop("dir")
    store = VectorStore(lib_dir / VECTORS_FILE, case.dim, ef_search=args.ef)
    labels, _ = store.search(queries, K)
    recall = recall_at_k(labels, checkpoints[n])
    curve = ef_curve(store, queries, checkpoints[n])
    del store
    texts = query_texts(args.latency_queries, args.seed)
    timed = measure_queries(case, lib_dir, base, n, texts)
    store = VectorStore(lib_dir / VECTORS_FILE, case.dim)
    text_curve = ef_curve(store, timed.pop("text_vectors"), timed.pop("text_truth"))
    del store
    result = {
        "model": case.name,
        "weights": case.weights or "default",
        "model_id": case.model_id,
        "dim": case.dim,
        "kind": "dense",
        "n": n,
        "M": args.m,
        "ef_construction": args.efc,
        "ef_search": args.ef,
        "recall@10": round(recall, 4),
        "build_s": built["build_s"],
        "catalog_build_s": built["catalog_s"],
        "growth": built["growth"],
        "vectors_file_mb": file_mb(lib_dir / VECTORS_FILE),
        "catalog_file_mb": file_mb(lib_dir / CATALOG_FILE),
        "exact_matrix_mb": round(n * case.dim * 4 / 1e6, 1),
        **measure_rss(lib_dir),
        **timed,
        "ef_curve": curve,
        "ef_curve_text_queries": text_curve,
        "fit": fit_summary(fit, base),
    }
    if not args.sparse:
        return result
    sparse = measure_queries(case, lib_dir, base, n, texts, sparse_query_model(case))
    sparse.pop("text_vectors"), sparse.pop("text_truth")
    result["sparse_queries"] = sparse
    return result


def fit_summary(fit: dict, base: np.ndarray) -> dict:
    """How close the synthetic vectors are to the real ones (mean pairwise cosine)."""
    real = fit["real"] / np.linalg.norm(fit["real"], axis=1, keepdims=True)
    synth = np.asarray(base[: len(real)])
    off = ~np.eye(len(real), dtype=bool)
    scales = fit["scales"] ** 2
    total = scales.sum() + float(fit["residual_std"]) ** 2 * (len(fit["mean"]) - len(scales))
    return {
        "fit_vectors": len(real),
        "sources": len(fit["sources"]),
        "rank": len(scales),
        "top_rank_variance_share": round(float(scales.sum() / total), 3),
        "real_mean_pair_cos": round(float((real @ real.T)[off].mean()), 3),
        "synthetic_mean_pair_cos": round(float((synth @ synth.T)[off].mean()), 3),
    }


def model_case(name: str, weights: str | None) -> ModelCase | None:
    from engine.encoder import ClipEncoder
    from engine.registry import DEMO_MODELS

    if name in DEMO_MODELS and weights is None and not DEMO_MODELS[name].weights.exists():
        print(f"note: {name} weights not present yet; skipped", file=sys.stderr)
        return None
    encoder = ClipEncoder(name, weights, towers=("text",))
    return ModelCase(name, weights, encoder.model_id, encoder.dim)


# -- the sweep ----------------------------------------------------------------------------
def sweep(case: ModelCase, args: argparse.Namespace) -> dict:
    fit = fit_distribution(case, args.views, args.seed)
    n = args.sweep_n
    base = base_vectors(case, fit, n, args.seed)
    queries = held_out_queries(fit, args.queries, args.seed)
    gt_path = case.dir / f"gt-n{n}-q{args.queries}-seed{args.seed}.npy"
    if not gt_path.exists():
        np.save(gt_path, exact_topk(base, queries, n))
    truth = np.load(gt_path)
    rows = []
    for m in args.sweep_m:
        for efc in args.sweep_efc:
            lib_dir = case.dir / f"sweep-n{n}-M{m}-efc{efc}"
            done = lib_dir / "build.json"
            if not done.exists():
                lib_dir.mkdir(parents=True, exist_ok=True)
                (lib_dir / VECTORS_FILE).unlink(missing_ok=True)
                info = build_store(lib_dir / VECTORS_FILE, base, n, m, efc, {}, queries)
                done.write_text(json.dumps(info))
            info = json.loads(done.read_text())
            store = VectorStore(lib_dir / VECTORS_FILE, case.dim)
            for point in ef_curve(store, queries, truth):
                rows.append(
                    {"M": m, "ef_construction": efc, "build_s": info["build_s"]}
                    | {"file_mb": file_mb(lib_dir / VECTORS_FILE)}
                    | point
                )
            del store
    ok = [r for r in rows if r["recall@10"] >= 0.99]
    best = min(ok, key=lambda r: (r["M"], r["ef_construction"], r["ef"])) if ok else None
    return {"model_id": case.model_id, "n": n, "rows": rows, "smallest_ok": best}


# -- the command --------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ints = lambda s: [int(x) for x in s.split(",")]  # noqa: E731
    p = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n")[0])
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
    summary = {
        k: head[k]
        for k in ("n", "recall@10", "p50_ms", "p95_ms", "p99_ms", "exact_p95_ms", "rss_mb")
    }
    out = {**summary, "build_s": head["build_s"], "model": head["model"], "results": results}
    if "sparse_queries" in head:
        out["sparse"] = {
            k: head["sparse_queries"][k] for k in ("p50_ms", "p95_ms", "p99_ms", "exact_p95_ms")
        }
    out["machine"] = machine
    print(json.dumps(out) if args.json else format_table(out))
    return 0


def format_table(out: dict) -> str:
    cols = [
        ("model", "model"), ("dim", "dim"), ("n", "N"), ("recall@10", "recall@10"),
        ("recall@10_text_queries", "recall@10 text q"), ("p50_ms", "p50 ms"),
        ("p95_ms", "p95 ms"), ("p99_ms", "p99 ms"), ("encode_p95_ms", "encode p95"),
        ("knn_catalog_p95_ms", "knn+catalog p95"), ("exact_p95_ms", "exact p95 ms"),
        ("exact_scan_catalog_p95_ms", "exact scan+catalog p95"), ("build_s", "build s"),
        ("vectors_file_mb", "vectors MB"), ("catalog_file_mb", "catalog MB"),
        ("rss_mb", "RSS MB"), ("exact_matrix_mb", "exact matrix MB"),
    ]  # fmt: skip
    lines = ["| " + " | ".join(h for _, h in cols) + " |", "|" + "---|" * len(cols)]
    for r in out["results"]:
        lines.append("| " + " | ".join(str(r.get(k, "")) for k, _ in cols) + " |")
        if "sparse_queries" in r:
            row = r | r["sparse_queries"] | {"model": f"{r['model']} (.sparse text tower)"}
            lines.append("| " + " | ".join(str(row.get(k, "")) for k, _ in cols) + " |")
    for r in out["results"]:
        lines.append(
            f"\ngrowth ({r['model']}): "
            + ", ".join(
                f"n={g['n']} cap={g['capacity']} recall={g['recall@10']}" for g in r["growth"]
            )
        )
        lines.append(
            f"ef curve ({r['model']}): "
            + ", ".join(
                f"ef={e['ef']}: {e['recall@10']} / {e['knn_p95_ms']} ms" for e in r["ef_curve"]
            )
        )
        lines.append(
            f"ef curve, text queries ({r['model']}): "
            + ", ".join(
                f"ef={e['ef']}: {e['recall@10']} / {e['knn_p95_ms']} ms"
                for e in r["ef_curve_text_queries"]
            )
        )
    lines.append(
        "\nA .sparse row queries the same dense-built library with the text tower of the"
        " model's `--sparsity dynamic` file (run only to the last real token, int8 linears)."
    )
    lines.append(f"machine: {json.dumps(out['machine'])}")
    return "\n".join(lines)


def format_sweep(out: dict) -> str:
    lines = [
        "| M | ef_construction | build s | file MB | ef | recall@10 | knn p50 ms | knn p95 ms |"
    ]
    lines.append("|---|---|---|---|---|---|---|---|")
    for r in out["rows"]:
        lines.append(
            f"| {r['M']} | {r['ef_construction']} | {r['build_s']} | {r['file_mb']} | {r['ef']}"
            f" | {r['recall@10']} | {r['knn_p50_ms']} | {r['knn_p95_ms']} |"
        )
    lines.append(f"\nsmallest with recall@10 >= 0.99: {out['smallest_ok']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

"""The synthetic library: a distribution fitted to real encoder vectors, sampled N times."""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from bench._common import augmented_views, cache_root, slug, source_images

GEN_VERSION = 1  # bump when the vector recipe changes (invalidates the cache)
CHUNK = 65_536
RANK = 64


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

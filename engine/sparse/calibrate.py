"""Calibrate the dynamic settings on a set of photos against the dense model.

ViT: the smallest keep ratio whose embeddings stay close to dense (mean cosine), keep the
image-to-image top-k neighbours (overlap) and, when text queries come with the photos, keep
the text-to-photo scores (text drift). ResNet: for each lower resolution, the
largest detail-score threshold below which every calibration photo still encodes close to
its full-resolution vector; the resolution that saves the most compute wins.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from engine.sparse import resnet
from engine.sparse.model import SparseCLIP
from engine.text_truncation import encode_text

KEEP_RATIOS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
Progress = Callable[[int, int], None]


@dataclass
class Targets:
    min_cosine: float = 0.98
    min_overlap: float = 0.95
    k: int = 10
    # Text queries rank photos by small differences in score, so a keep ratio that leaves
    # image-to-image neighbours intact can still reorder text results; what image agreement
    # alone let the demo ViT lose is measured in docs/BENCHMARKS.md ("Sparsity").
    max_text_drift: float = 0.0125


@dataclass
class Calibration:
    updates: dict = field(default_factory=dict)  # SparsitySettings fields to set
    effect: dict = field(default_factory=dict)  # what was measured


def top_k_overlap(reference: np.ndarray, candidate: np.ndarray, k: int = 10) -> float:
    """Mean share of each query's top-k (by the reference vectors) that the candidate keeps.

    Queries are the reference vectors themselves (self excluded), ranked against the
    reference database and against the candidate database.
    """
    n = len(reference)
    k = min(k, n - 1)
    if k < 1:
        return 1.0
    ref_sim = reference @ reference.T
    cand_sim = reference @ candidate.T
    np.fill_diagonal(ref_sim, -np.inf)
    np.fill_diagonal(cand_sim, -np.inf)
    ref_top = np.argsort(-ref_sim, axis=1)[:, :k]
    cand_top = np.argsort(-cand_sim, axis=1)[:, :k]
    return float(
        np.mean([len(set(a) & set(b)) / k for a, b in zip(ref_top, cand_top, strict=True)])
    )


def text_drift(queries: np.ndarray, reference: np.ndarray, candidate: np.ndarray) -> float:
    """Mean absolute change of the text-to-photo scores, in units of their spread (the
    standard deviation of the reference scores)."""
    before, after = queries @ reference.T, queries @ candidate.T
    return float(np.abs(after - before).mean() / max(float(before.std()), 1e-12))


def _unit(x: torch.Tensor) -> np.ndarray:
    return nn.functional.normalize(x.float(), dim=-1).numpy()


def _encode(fn: Callable, images: torch.Tensor, batch: int = 32) -> np.ndarray:
    with torch.inference_mode():
        return np.concatenate(
            [_unit(fn(images[i : i + batch])) for i in range(0, len(images), batch)]
        )


def calibrate(
    dense: nn.Module,
    sparse: SparseCLIP,
    images: Sequence[torch.Tensor],
    targets: Targets | None = None,
    progress: Progress | None = None,
    query_tokens: torch.Tensor | None = None,
) -> Calibration:
    """Try the candidate settings on ``images`` (prepared tensors); returns the choice.

    ``query_tokens``: tokenized text queries (e.g. the photos' captions); with them the ViT
    keep ratio must also pass ``targets.max_text_drift``.
    """
    targets = targets or Targets()
    batch = torch.stack(list(images))
    if resnet.is_resnet(sparse.visual):
        return _calibrate_resnet(dense, sparse, batch, targets, progress)
    return _calibrate_vit(dense, sparse, batch, targets, progress, query_tokens)


def _calibrate_vit(dense, sparse, batch, targets, progress, query_tokens) -> Calibration:
    steps = len(KEEP_RATIOS) + 1
    reference = _encode(dense.encode_image, batch)
    queries = None
    if query_tokens is not None:
        queries = _encode(lambda tokens: encode_text(dense, tokens), query_tokens)
    _tick(progress, 1, steps)
    original = sparse.settings.vit_keep_ratio
    trials = {}
    for i, ratio in enumerate(sorted(KEEP_RATIOS, reverse=True), start=2):
        sparse.settings.vit_keep_ratio = ratio
        vectors = _encode(sparse.encode_image, batch)
        trials[ratio] = {
            "mean_cosine": float(np.mean(np.sum(reference * vectors, axis=1))),
            "top10_overlap": top_k_overlap(reference, vectors, targets.k),
        }
        if queries is not None:
            trials[ratio]["text_drift"] = text_drift(queries, reference, vectors)
        _tick(progress, i, steps)
    sparse.settings.vit_keep_ratio = original
    passing = [
        r
        for r, m in trials.items()
        if m["mean_cosine"] >= targets.min_cosine
        and m["top10_overlap"] >= targets.min_overlap
        and m.get("text_drift", 0.0) <= targets.max_text_drift
    ]
    chosen = min(passing) if passing else 1.0
    effect = {"calibration_photos": len(batch), "vit_keep_ratio": chosen}
    if queries is not None:
        effect["calibration_queries"] = len(queries)
    if chosen in trials:
        effect.update(trials[chosen])
    else:  # nothing passed: say how close the mildest pruning came
        mildest = max(trials)
        effect["rejected"] = {"vit_keep_ratio": mildest, **trials[mildest]}
    return Calibration(updates={"vit_keep_ratio": chosen}, effect=effect)


def _calibrate_resnet(dense, sparse, batch, targets, progress) -> Calibration:
    full = int(batch.shape[-1])
    sizes = [s for s in range(full - 32, 31, -32) if s >= full // 2] or [full // 2]
    steps = len(sizes) + 2
    reference = _encode(dense.encode_image, batch)
    _tick(progress, 1, steps)
    full_sparse = _encode(lambda x: resnet.forward(sparse.visual, x), batch)
    _tick(progress, 2, steps)
    scores = resnet.detail_score(batch).numpy()
    best = {"saving": 0.0, "size": 0, "threshold": 0.0, "low_share": 0.0}
    for i, size in enumerate(sizes, start=3):
        low = _encode(
            lambda x, s=size: resnet.forward(sparse.visual, resnet.downscale(x, s)), batch
        )
        cosine = np.sum(full_sparse * low, axis=1)
        threshold = _threshold(scores, cosine, targets.min_cosine)
        threshold = _overlap_threshold(reference, full_sparse, low, scores, threshold, targets)
        share = float(np.mean(scores < threshold))
        saving = share * (1 - (size / full) ** 2)
        if saving > best["saving"]:
            best = {"saving": saving, "size": size, "threshold": threshold, "low_share": share}
        _tick(progress, i, steps)
    chosen = _encode(
        lambda x: resnet.encode_image(sparse.visual, x, best["size"], best["threshold"]), batch
    )
    effect = {
        "calibration_photos": len(batch),
        "resnet_low_size": best["size"],
        "low_resolution_share": best["low_share"],
        "mean_cosine": float(np.mean(np.sum(reference * chosen, axis=1))),
        "top10_overlap": top_k_overlap(reference, chosen, targets.k),
    }
    updates = {"resnet_low_size": best["size"], "resnet_detail_threshold": best["threshold"]}
    return Calibration(updates=updates, effect=effect)


def _threshold(scores: np.ndarray, cosine: np.ndarray, min_cosine: float) -> float:
    """Largest t such that every image scoring below t keeps ``cosine >= min_cosine``."""
    for score, cos in sorted(zip(scores, cosine, strict=True)):
        if cos < min_cosine:
            return float(score)
    return float(scores.max()) + 1e-6


def _overlap_threshold(
    reference: np.ndarray,
    full: np.ndarray,
    low: np.ndarray,
    scores: np.ndarray,
    limit: float,
    targets: Targets,
) -> float:
    """The largest threshold <= ``limit`` whose mix of low- and full-resolution vectors still
    keeps the top-k overlap with the dense vectors (per-image cosine alone lets many small
    changes add up to reordered neighbours)."""
    candidates = sorted({limit, *(float(x) for x in scores if x < limit)}, reverse=True)
    for threshold in candidates:
        mixed = np.where((scores < threshold)[:, None], low, full)
        if top_k_overlap(reference, mixed, targets.k) >= targets.min_overlap:
            return threshold
    return float(scores.min())  # no image runs at low resolution


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)

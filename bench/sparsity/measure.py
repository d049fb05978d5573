"""Measurements of dense and sparse encoders side by side: speed, overlap, quality."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from bench.sparsity.inputs import QUERIES


def time_interleaved(fns: dict, repeats: int) -> dict[str, float]:
    """Median seconds per call of each function, calls interleaved across repeats."""
    for fn in fns.values():
        fn()
    samples: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeats):
        for key, fn in fns.items():
            started = time.perf_counter()
            fn()
            samples[key].append(time.perf_counter() - started)
    return {k: float(np.median(v)) for k, v in samples.items()}


def speeds(encoders: dict, images: list, repeats: int) -> dict:
    tensors = {k: [e.prepare(img) for img in images] for k, e in encoders.items()}
    image_s = time_interleaved(
        {k: (lambda e=e, t=tensors[k]: e.encode_prepared(t)) for k, e in encoders.items()},
        repeats,
    )

    def one_by_one(e) -> None:
        for q in QUERIES:
            e.encode_texts([q])

    text_s = time_interleaved(
        {k: (lambda e=e: one_by_one(e)) for k, e in encoders.items()}, repeats
    )
    return {
        k: {"images_per_s": len(images) / image_s[k], "queries_per_s": len(QUERIES) / text_s[k]}
        for k in encoders
    }


def top10_overlap(dense, sparse, photos: list[Path]) -> dict:
    from engine.images import load_image
    from engine.sparse.calibrate import top_k_overlap

    images = [load_image(p) for p in photos]
    d_img, s_img = dense.encode_images(images), sparse.encode_images(images)
    d_txt, s_txt = dense.encode_texts(QUERIES), sparse.encode_texts(QUERIES)
    k = min(10, len(photos) - 1)

    def overlap(q_ref, db_ref, q_new, db_new) -> float:
        ref = np.argsort(-(q_ref @ db_ref.T), axis=1)[:, :k]
        new = np.argsort(-(q_new @ db_new.T), axis=1)[:, :k]
        return float(np.mean([len(set(a) & set(b)) / k for a, b in zip(ref, new, strict=True)]))

    return {
        "text_both_sparse": overlap(d_txt, d_img, s_txt, s_img),
        "text_dense_library": overlap(d_txt, d_img, s_txt, d_img),
        "text_sparse_library": overlap(d_txt, d_img, d_txt, s_img),
        "image_both_sparse": top_k_overlap(d_img, s_img, k),
        "mean_cosine_images": float(np.mean(np.sum(d_img * s_img, axis=1))),
        "mean_cosine_texts": float(np.mean(np.sum(d_txt * s_txt, axis=1))),
    }


def held_out_quality(model: str, data_dir: Path, count: int) -> dict[str, float]:
    """recall@1/5/10 and precision@10 of ``model`` on the demo held-out set."""
    from bench import quality

    args = argparse.Namespace(
        model=model,
        weights=None,
        captions=None,
        queries="held-out",
        count=count,
        seed=0,
        data_dir=str(data_dir),
    )
    out = quality.run(args)
    return {k: float(out[k]) for k in ("recall@1", "recall@5", "recall@10", "precision@10")}

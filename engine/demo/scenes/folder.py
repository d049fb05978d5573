"""A demo folder: held-out scenes written as JPEG/PNG photos plus their captions.csv."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from engine.demo.scenes.captions import caption
from engine.demo.scenes.captions_csv import write_captions
from engine.demo.scenes.held_out import held_out_scenes
from engine.demo.scenes.render import render_scene
from engine.demo.scenes.split import EVAL_STREAM

PHOTO_SIZES = ((640, 480), (800, 600), (1024, 768), (480, 640), (600, 800), (960, 720))


def write_demo_folder(
    directory: str | Path, count: int, seed: int = 0, featured: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """Write ``count`` held-out scenes as JPEG/PNG photos plus ``captions.csv``.

    Returns ``(file name, caption)`` pairs; file names are relative to ``directory``.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([EVAL_STREAM, seed, 1])
    rows = []
    for i, scene in enumerate(held_out_scenes(count, seed, featured)):
        size = PHOTO_SIZES[int(rng.integers(len(PHOTO_SIZES)))]
        image = render_scene(scene, size)
        if rng.random() < 0.7:
            name = f"scene_{i:05d}.jpg"
            image.save(directory / name, "JPEG", quality=int(rng.integers(82, 95)))
        else:
            name = f"scene_{i:05d}.png"
            image.save(directory / name, "PNG", compress_level=1)
        rows.append((name, caption(scene)))
    write_captions(directory / "captions.csv", rows)
    return rows

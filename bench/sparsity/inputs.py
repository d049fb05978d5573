"""What the sparsity benchmark encodes: copied photos, rendered scenes and text queries."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np

from bench._common import SHARED_PHOTOS, cache_root

QUERIES = [
    "a dog on the beach",
    "a red car",
    "sunset over the mountains",
    "a cup of coffee on a wooden table",
    "an astronaut in a white space suit",
    "a cat sleeping on the sofa",
    "a rocket launching into the sky at night",
    "people walking in a busy city street in the rain",
    "a small blue square left of a red circle",
    "two yellow stars on a striped background",
    "the moon",
    "a page of printed text",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def calibration_dir(count: int) -> Path:
    """Rendered training-split scenes with a true statement about each in captions.csv, the
    text queries calibration checks (cached)."""
    from engine.demo.scenes.captions_csv import write_captions
    from engine.demo.scenes.generate import random_scene
    from engine.demo.scenes.render import render_scene
    from engine.demo.scenes.statements import random_statement

    target = cache_root() / "sources" / f"sparsity-calibration-{count}"
    if not (target / ".captioned").exists():
        target.mkdir(parents=True, exist_ok=True)
        rng = np.random.default_rng([11, count])
        rows = []
        for i in range(count):
            scene = random_scene(rng, split="train")
            name = f"train_{i:03d}.png"
            render_scene(scene, (640, 480)).save(target / name)
            rows.append((name, random_statement(scene, rng)))
        write_captions(target / "captions.csv", rows)
        (target / ".captioned").touch()
    return target


def photo_copy(work: Path) -> list[Path]:
    target = work / "photos"
    shutil.copytree(SHARED_PHOTOS, target)
    return sorted(p for p in target.iterdir() if p.suffix.lower() in {".jpg", ".jpeg", ".png"})


def speed_images(photos: list[Path]) -> list:
    from bench._common import demo_scenes
    from engine.images import load_image

    paths = (photos + demo_scenes(24))[:32]
    while len(paths) < 32:
        paths = paths + paths
    return [load_image(p) for p in paths[:32]]

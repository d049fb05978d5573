"""What a demo model calibrates on when it is converted to a ``.sparse`` file: rendered
training-split scenes (never the held-out set), each with one true statement about it as a
text query."""

from __future__ import annotations

import numpy as np

from engine.demo import scenes
from engine.sparse.convert import CalibrationSet


def training_scenes(count: int) -> CalibrationSet:
    rng = np.random.default_rng([7, count])
    drawn = [scenes.random_scene(rng, split="train") for _ in range(count)]
    images = [scenes.render_scene(s, (640, 480)) for s in drawn]
    return CalibrationSet(images, [scenes.random_statement(s, rng) for s in drawn])

"""What a demo model calibrates on when it is converted to a ``.sparse`` file: rendered
training-split scenes (never the held-out set), each with one true statement about it as a
text query."""

from __future__ import annotations

import numpy as np

from engine.demo.scenes.generate import random_scene
from engine.demo.scenes.render import render_scene
from engine.demo.scenes.statements import random_statement
from engine.sparse.convert import CalibrationSet


def training_scenes(count: int) -> CalibrationSet:
    rng = np.random.default_rng([7, count])
    drawn = [random_scene(rng, split="train") for _ in range(count)]
    images = [render_scene(s, (640, 480)) for s in drawn]
    return CalibrationSet(images, [random_statement(s, rng) for s in drawn])

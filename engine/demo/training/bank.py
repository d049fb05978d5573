"""The statement bank: a fixed set of texts, and which of them hold for a scene."""

from __future__ import annotations

import numpy as np

from engine.demo.scenes.captions import background_suffix, noun_phrase
from engine.demo.scenes.query import Constraint, parse_query
from engine.demo.scenes.scene import BACKGROUNDS, COLOURS, RELATIONS, SHAPES, SIZES


def statement_bank() -> list[str]:
    """Every object phrase (any count, size, colour, shape; with or without a textured
    background) and every colour-shape relation: the texts rankings are distilled over."""
    phrases = [
        noun_phrase(count, colour, shape, size)
        for count in ("a", "two", "three")
        for size in (None, *SIZES)
        for colour in (None, *COLOURS)
        for shape in (None, *SHAPES)
        if (size, colour, shape) != (None, None, None)
    ]
    textures = BACKGROUNDS[1:]
    texts = phrases + [p + background_suffix(t) for p in phrases for t in textures]
    objects = [noun_phrase("a", c, s) for c in COLOURS for s in SHAPES]
    texts += [f"{a} {r} {b}" for a in objects for b in objects if a != b for r in RELATIONS]
    return texts


class BankTruth:
    """Which statements of a fixed bank hold for a scene, from its constraint set."""

    def __init__(self, texts: list[str]):
        wanted = [parse_query(t) for t in texts]
        self.sizes = np.array([len(w) for w in wanted])
        by_constraint: dict[Constraint, list[int]] = {}
        for i, constraints in enumerate(wanted):
            for c in constraints:
                by_constraint.setdefault(c, []).append(i)
        self.by_constraint = {c: np.array(ids) for c, ids in by_constraint.items()}

    def holds(self, facts: frozenset) -> np.ndarray:
        met = np.zeros(len(self.sizes), np.int32)
        for c in facts:
            ids = self.by_constraint.get(c)
            if ids is not None:
                met[ids] += 1
        return met == self.sizes

"""Where a scene's objects go on the stage (coordinates are fractions of its side)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from engine.demo.scenes.scene import Thing

_MARGIN = 0.03


def _free_position(rng: np.random.Generator, r: float) -> tuple[float, float]:
    lo, hi = r + _MARGIN, 1 - r - _MARGIN
    x, y = rng.uniform(lo, hi, 2)
    return float(x), float(y)


def _inside(x: float, y: float, r: float) -> bool:
    lo, hi = r + _MARGIN, 1 - r - _MARGIN
    return lo <= x <= hi and lo <= y <= hi


def _apart(a: Thing, b: Thing, gap: float = 0.04) -> bool:
    return math.hypot(a.x - b.x, a.y - b.y) > a.radius + b.radius + gap


def _place_group(things: list[Thing], rng: np.random.Generator) -> list[Thing] | None:
    placed: list[Thing] = []
    for thing in things:
        for _ in range(50):
            x, y = _free_position(rng, thing.radius)
            candidate = replace(thing, x=x, y=y)
            if all(_apart(candidate, other) for other in placed):
                placed.append(candidate)
                break
        else:
            return None
    return placed


def _place_pair(things: list[Thing], relation: str, rng: np.random.Generator) -> list[Thing] | None:
    a, b = things
    ax, ay = _free_position(rng, a.radius)
    lo = a.radius + b.radius + 0.06
    along = rng.uniform(lo, max(lo, 0.9)) * (-1 if relation in ("right of", "below") else 1)
    across = rng.uniform(-0.11, 0.11)
    horizontal = relation in ("left of", "right of")
    bx, by = (ax + along, ay + across) if horizontal else (ax + across, ay + along)
    if not _inside(bx, by, b.radius):
        return None
    return [replace(a, x=ax, y=ay), replace(b, x=float(bx), y=float(by))]


def lay_out(
    things: list[Thing], relation: str | None, rng: np.random.Generator
) -> tuple[Thing, ...]:
    """``things`` placed on the stage: a group apart from each other, a pair in ``relation``."""
    for _ in range(10_000):
        if relation is None:
            placed = _place_group(things, rng)
        else:
            placed = _place_pair(things, relation, rng)
        if placed is not None:
            return tuple(placed)
    raise RuntimeError("could not lay out scene")  # pragma: no cover - sizes always fit

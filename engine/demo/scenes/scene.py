"""What a scene is: its vocabulary and types.

A scene is either a *group* (one, two or three identical objects) or a *pair* (two different
objects in a spatial relation), on a plain or textured background. Objects are laid out
inside the central square of the image (the "stage"), so the caption stays true after the
encoders' centre crop at any aspect ratio.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

COLOURS: dict[str, tuple[float, float, float]] = {  # hue (degrees), saturation, value
    "red": (0.0, 0.85, 0.88),
    "orange": (28.0, 0.9, 0.98),
    "yellow": (54.0, 0.88, 0.95),
    "green": (125.0, 0.75, 0.68),
    "blue": (222.0, 0.8, 0.9),
    "purple": (285.0, 0.6, 0.72),
}
SHAPES = ("circle", "square", "triangle", "star", "cross")
SIZES = ("small", "large")
BACKGROUNDS = ("plain", "striped", "dotted", "checkered")
RELATIONS = ("left of", "right of", "above", "below")
COUNT_WORDS = {1: "a", 2: "two", 3: "three"}
MIRROR = {"left of": "right of", "right of": "left of", "above": "below", "below": "above"}


class ObjectSpec(NamedTuple):
    """Object attributes; in a query ``None`` means "any"."""

    colour: str | None
    shape: str | None
    size: str | None


@dataclass(frozen=True)
class Thing:
    """One drawn object. Coordinates are fractions of the stage (the central square)."""

    shape: str
    colour: str
    size: str
    x: float
    y: float
    radius: float
    angle: float  # degrees
    tint: tuple[float, float, float]  # hue shift (degrees), saturation and value factors

    @property
    def spec(self) -> ObjectSpec:
        return ObjectSpec(self.colour, self.shape, self.size)


@dataclass(frozen=True)
class Style:
    """Photo-like nuisance parameters that captions do not describe."""

    base: tuple[int, int, int]  # background colour
    pattern_delta: float  # brightness offset of the texture
    pattern_period: float  # fraction of the stage side
    pattern_angle: float  # degrees
    light_angle: float  # radians
    light_strength: float
    blur: float  # Gaussian radius as a fraction of the stage side
    noise: float  # per-pixel noise std (0-255 scale)
    seed: int  # pixel-noise seed


@dataclass(frozen=True)
class Scene:
    """A renderable scene. For a pair, ``objects[0] <relation> objects[1]`` holds."""

    objects: tuple[Thing, ...]
    background: str
    relation: str | None
    style: Style

"""Random scenes: any scene, or one satisfying a query; nuisance style drawn at random."""

from __future__ import annotations

import math

import numpy as np

from engine.demo.scenes.layout import lay_out
from engine.demo.scenes.matching import scene_constraints
from engine.demo.scenes.query import Constraint, QueryError, parse_query
from engine.demo.scenes.scene import (
    BACKGROUNDS,
    COLOURS,
    MIRROR,
    RELATIONS,
    SHAPES,
    SIZES,
    ObjectSpec,
    Scene,
    Style,
    Thing,
)
from engine.demo.scenes.split import scene_split

_RADIUS = {"small": (0.085, 0.1), "large": (0.165, 0.195)}  # fraction of the stage side


def choice(rng: np.random.Generator, options) -> object:
    """One of ``options``, drawn with one ``rng.integers`` call (the draws fix every scene)."""
    return options[int(rng.integers(len(options)))]


def _style(rng: np.random.Generator) -> Style:
    lum = rng.uniform(130, 230)
    tint = rng.normal(0, 6, 3)
    base = tuple(int(min(255.0, max(0.0, lum + t))) for t in tint)
    return Style(
        base=base,  # type: ignore[arg-type]
        pattern_delta=float(rng.uniform(32, 55) * (-1 if lum > 165 or rng.random() < 0.5 else 1)),
        pattern_period=float(rng.uniform(0.08, 0.12)),
        pattern_angle=float(choice(rng, (0, 45, 90, 135)) + rng.uniform(-8, 8)),
        light_angle=float(rng.uniform(0, 2 * math.pi)),
        light_strength=float(rng.uniform(0, 0.25)),
        blur=float(rng.uniform(0.001, 0.004)),
        noise=float(rng.uniform(1.0, 4.0)),
        seed=int(rng.integers(2**31)),
    )


def _thing(spec: ObjectSpec, rng: np.random.Generator) -> Thing:
    spin = {"circle": 0.0, "star": 36.0}.get(spec.shape, 18.0)
    return Thing(
        shape=spec.shape,
        colour=spec.colour,
        size=spec.size,
        x=0.5,
        y=0.5,
        radius=float(rng.uniform(*_RADIUS[spec.size])),
        angle=float(rng.uniform(-spin, spin)),
        tint=(
            float(rng.uniform(-5, 5)),
            float(rng.uniform(0.85, 1.0)),
            float(rng.uniform(0.85, 1.0)),
        ),
    )


def make_scene(
    specs: list[ObjectSpec], relation: str | None, background: str, rng: np.random.Generator
) -> Scene:
    """A scene with these objects (a group of identical specs, or a related pair)."""
    if relation is None and len(set(specs)) != 1:
        raise ValueError("a scene without a relation is a group of identical objects")
    if relation is not None and (len(specs) != 2 or specs[0][:2] == specs[1][:2]):
        raise ValueError("a relation needs two objects differing in colour or shape")
    things = lay_out([_thing(s, rng) for s in specs], relation, rng)
    return Scene(objects=things, background=background, relation=relation, style=_style(rng))


def _random_spec(rng: np.random.Generator, fixed: ObjectSpec | None = None) -> ObjectSpec:
    fixed = fixed or ObjectSpec(None, None, None)
    return ObjectSpec(
        fixed.colour or choice(rng, list(COLOURS)),
        fixed.shape or choice(rng, SHAPES),
        fixed.size or choice(rng, SIZES),
    )


def _random_pair(
    rng: np.random.Generator, a: ObjectSpec | None = None, b: ObjectSpec | None = None
) -> tuple[ObjectSpec, ObjectSpec]:
    while True:
        sa, sb = _random_spec(rng, a), _random_spec(rng, b)
        if sa[:2] != sb[:2]:
            return sa, sb


def _draw_random(rng: np.random.Generator, background: str | None = None) -> Scene:
    background = background or choice(rng, BACKGROUNDS)
    if rng.random() < 0.5:
        spec = _random_spec(rng)
        return make_scene([spec] * int(rng.integers(1, 4)), None, background, rng)
    return make_scene(list(_random_pair(rng)), choice(rng, RELATIONS), background, rng)


def random_scene(rng: np.random.Generator, split: str | None = None) -> Scene:
    """A random scene; with ``split`` ("train"/"eval") only scenes of that split."""
    while True:
        scene = _draw_random(rng)
        if split is None or scene_split(scene) == split:
            return scene


def _draw_for(constraints: frozenset[Constraint], rng: np.random.Generator) -> Scene:
    background = choice(rng, BACKGROUNDS)
    specs: list[ObjectSpec] | None = None
    relation = None
    for c in constraints:
        if c[0] == "background":
            background = c[1]
        elif c[0] == "relation":
            a, b = _random_pair(rng, c[1], c[3])
            specs, relation = [a, b], c[2]
            if rng.random() < 0.5:  # also caption it the mirrored way round
                specs, relation = [b, a], MIRROR[relation]
        elif c[0] == "object":
            spec, count = _random_spec(rng, c[1]), c[2]
            if count is None and rng.random() < 0.3:
                other = _random_pair(rng, spec)[1]
                specs, relation = [spec, other], choice(rng, RELATIONS)
            else:
                n = {None: int(rng.integers(1, 4)), "2+": int(rng.integers(2, 4))}.get(count, count)
                specs = [spec] * int(n)  # type: ignore[arg-type]
    if specs is None:
        return _draw_random(rng, background)
    return make_scene(specs, relation, background, rng)


def scene_for_query(query: str, rng: np.random.Generator, split: str | None = None) -> Scene:
    """A random scene satisfying ``query`` (unspecified attributes drawn at random)."""
    constraints = parse_query(query)
    for _ in range(10_000):
        scene = _draw_for(constraints, rng)
        if constraints <= scene_constraints(scene) and (
            split is None or scene_split(scene) == split
        ):
            return scene
    raise QueryError(f"no scene satisfies '{query}'")

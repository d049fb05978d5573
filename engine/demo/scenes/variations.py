"""Scenes made from another: one described attribute changed, or seen in a mirror."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from engine.demo.scenes.generate import choice, make_scene
from engine.demo.scenes.scene import (
    BACKGROUNDS,
    COLOURS,
    COUNT_WORDS,
    MIRROR,
    RELATIONS,
    SHAPES,
    SIZES,
    ObjectSpec,
    Scene,
)
from engine.demo.scenes.split import scene_split


def _specs(scene: Scene) -> list[ObjectSpec]:
    return [t.spec for t in scene.objects]


def perturb(scene: Scene, rng: np.random.Generator, split: str | None = None) -> Scene:
    """A scene that differs from ``scene`` in exactly one described attribute."""
    for _ in range(1000):
        specs, relation, background = _specs(scene), scene.relation, scene.background
        which = int(rng.integers(len(specs)))
        options = ["colour", "shape", "size", "background"]
        options.append("relation" if relation else "count")
        change = choice(rng, options)
        if change == "background":
            background = choice(rng, [b for b in BACKGROUNDS if b != background])
        elif change == "count":
            n = choice(rng, [n for n in COUNT_WORDS if n != len(specs)])
            specs = [specs[0]] * int(n)  # type: ignore[call-overload]
        elif change == "relation":
            relation = MIRROR[relation] if rng.random() < 0.6 else choice(rng, RELATIONS)
        else:
            field = {"colour": 0, "shape": 1, "size": 2}[change]
            values = {"colour": list(COLOURS), "shape": SHAPES, "size": SIZES}[change]
            new = choice(rng, [v for v in values if v != specs[which][field]])
            targets = range(len(specs)) if relation is None else [which]
            specs = [
                s._replace(**{change: new}) if i in targets else s for i, s in enumerate(specs)
            ]
        if relation is not None and specs[0][:2] == specs[1][:2]:
            continue
        if relation == scene.relation and specs == _specs(scene) and background == scene.background:
            continue
        out = make_scene(specs, relation, background, rng)
        if split is None or scene_split(out) == split:
            return out
    raise RuntimeError("could not perturb scene")  # pragma: no cover


def reflected(scene: Scene) -> Scene:
    """``scene`` seen in a mirror across its relation's axis (a group: left/right): the same
    objects, background and style, the relation turned round."""
    vertical = scene.relation in ("above", "below")
    things = tuple(
        replace(t, y=1 - t.y) if vertical else replace(t, x=1 - t.x) for t in scene.objects
    )
    relation = MIRROR[scene.relation] if scene.relation else None
    return replace(scene, objects=things, relation=relation)

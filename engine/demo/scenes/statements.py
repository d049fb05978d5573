"""Training text: true statements about a scene and false ones that name both objects of a
pair (hard negatives)."""

from __future__ import annotations

import numpy as np

from engine.demo.scenes.captions import background_suffix, caption, noun_phrase
from engine.demo.scenes.matching import scene_constraints
from engine.demo.scenes.query import parse_query
from engine.demo.scenes.scene import COUNT_WORDS, MIRROR, ObjectSpec, Scene, Thing


def _partial_phrase(thing: Thing, count: str, rng: np.random.Generator) -> str:
    colour = thing.colour if rng.random() < 0.85 else None
    shape = thing.shape if rng.random() < 0.85 else None
    if colour is None and shape is None:
        shape = thing.shape
    size = thing.size if rng.random() < 0.45 else None
    return noun_phrase(count, colour, shape, size)


def random_statement(scene: Scene, rng: np.random.Generator) -> str:
    """A random true statement about ``scene``, naming a subset of its attributes."""
    if rng.random() < 0.2:
        return caption(scene)
    if scene.relation and rng.random() < 0.6:
        a, b = scene.objects
        relation = scene.relation
        if rng.random() < 0.5:
            a, b, relation = b, a, MIRROR[relation]
        text = f"{_partial_phrase(a, 'a', rng)} {relation} {_partial_phrase(b, 'a', rng)}"
    else:
        thing = scene.objects[int(rng.integers(len(scene.objects)))]
        n = sum(t.spec == thing.spec for t in scene.objects)
        # "a" (at least one) is also true of two or three; the phrase may drop attributes,
        # and then an exact count stays true because identical objects come in groups only.
        count = COUNT_WORDS[n] if n == 1 or rng.random() < 0.75 else "a"
        text = _partial_phrase(thing, count, rng)
        if count != "a" and not _holds(text, scene):
            text = _partial_phrase(thing, "a", rng)
    if rng.random() < 0.5:
        text += background_suffix(scene.background)
    return text


def _holds(text: str, scene: Scene) -> bool:
    return parse_query(text) <= scene_constraints(scene)


def near_miss_statements(a: ObjectSpec, relation: str, b: ObjectSpec) -> dict[str, str]:
    """False statements naming both objects of "a <relation> b" by colour and shape: the
    relation the other way round ("direction") and, when the colours differ, the two colours
    swapped ("binding")."""
    first, second = noun_phrase("a", a.colour, a.shape), noun_phrase("a", b.colour, b.shape)
    out = {"direction": f"{first} {MIRROR[relation]} {second}"}
    if a.colour != b.colour:
        swapped = noun_phrase("a", b.colour, a.shape), noun_phrase("a", a.colour, b.shape)
        out["binding"] = f"{swapped[0]} {relation} {swapped[1]}"
    return out


def relation_near_misses(scene: Scene, rng: np.random.Generator) -> list[str]:
    """``near_miss_statements`` of a pair, phrased either way round, sometimes with its
    background; none for a group."""
    if scene.relation is None:
        return []
    a, b = scene.objects
    relation = scene.relation
    if rng.random() < 0.5:
        a, b, relation = b, a, MIRROR[relation]
    out = list(near_miss_statements(a.spec, relation, b.spec).values())
    if rng.random() < 0.5:  # as often as the true statements name it
        out = [text + background_suffix(scene.background) for text in out]
    return out

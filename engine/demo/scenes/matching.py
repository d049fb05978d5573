"""Which scenes and captions satisfy a query: a scene's facts as constraints, and the
subset test against a query's (see ``query``)."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from engine.demo.scenes.query import (
    Constraint,
    QueryError,
    parse_phrases,
    parse_query,
    relation_constraint,
)
from engine.demo.scenes.scene import ObjectSpec, Scene


@lru_cache(maxsize=4096)
def _patterns(spec: ObjectSpec) -> tuple[ObjectSpec, ...]:
    """Every query spec that ``spec`` matches (each attribute given or left open)."""
    return tuple(
        ObjectSpec(c, s, z)
        for c in (spec.colour, None)
        for s in (spec.shape, None)
        for z in (spec.size, None)
    )


def facts_constraints(
    objects: list[ObjectSpec], relations: list[tuple[int, str, int]], background: str
) -> frozenset[Constraint]:
    """Every constraint that holds for a scene with these objects/relations/background."""
    counts = Counter(p for spec in objects for p in _patterns(spec))
    out: set[Constraint] = {("background", background)}
    for pattern, n in counts.items():
        out.add(("object", pattern, None))
        out.add(("object", pattern, n))
        if n >= 2:
            out.add(("object", pattern, "2+"))
    for i, relation, j in relations:
        out.update(_relation_constraints(objects[i], relation, objects[j]))
    return frozenset(out)


@lru_cache(maxsize=16384)
def _relation_constraints(a: ObjectSpec, relation: str, b: ObjectSpec) -> frozenset[Constraint]:
    return frozenset(
        relation_constraint(pa, relation, pb) for pa in _patterns(a) for pb in _patterns(b)
    )


def scene_constraints(scene: Scene) -> frozenset[Constraint]:
    relations = [(0, scene.relation, 1)] if scene.relation else []
    return facts_constraints([t.spec for t in scene.objects], relations, scene.background)


def caption_constraints(text: str) -> frozenset[Constraint]:
    """Constraints that hold for the scene a full caption describes."""
    phrases, relation, background = parse_phrases(text)
    objects: list[ObjectSpec] = []
    for phrase in phrases:
        if None in phrase.spec or phrase.count == "2+":
            raise QueryError(f"caption is not fully specified: '{text}'")
        objects += [phrase.spec] * (1 if phrase.count is None else int(phrase.count))
    relations = [(0, relation, 1)] if relation else []
    return facts_constraints(objects, relations, background or "plain")


def caption_satisfies(caption_text: str, query: str | frozenset[Constraint]) -> bool:
    """True when the scene described by ``caption_text`` satisfies every query constraint."""
    wanted = parse_query(query) if isinstance(query, str) else query
    return wanted <= caption_constraints(caption_text)

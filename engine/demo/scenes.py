"""Procedurally rendered, captioned scenes: the world the demo models are trained on.

A scene is either a *group* (one, two or three identical objects) or a *pair* (two different
objects in a spatial relation), on a plain or textured background. Objects are laid out
inside the central square of the image (the "stage"), so the caption stays true after the
encoders' centre crop at any aspect ratio.

Captions are compositional and always fully specified::

    two small red circles on a striped background
    a large blue square left of a small yellow star

Query semantics (``parse_query`` / ``caption_satisfies``); a caption satisfies a query when
every constraint of the query holds for the scene the caption describes:

* object phrase ``[count] [size] [colour] shape``; every word optional, but at least one of
  size/colour/shape. Attributes left out match anything.
* ``a``/``an`` (or no count word) means *at least one* matching object; ``one``, ``two``,
  ``three`` mean *exactly* that many matching objects in the scene; a bare plural
  (``red circles``) means at least two.  So "a red circle" is satisfied by "two small red
  circles", and "two red circles" is not satisfied by "three small red circles".
* ``A left of B`` (also ``right of``, ``above``, ``below``, ``to the left of``, ...) holds
  when the caption states that relation, or its mirror, between an object matching A and
  an object matching B. Groups of identical objects state no relations.
* ``on a striped background``: the background must match; captions that name no background
  have a plain one.

Held-out split: every scene has a key (a hash of its caption and quantised layout);
``scene_split`` puts 1 in 8 keys in "eval". Training draws only "train" scenes and the
benchmark/demo only "eval" scenes, from separate random streams, so no scene (not even one
with the same caption and nearly the same layout) is in both.
"""

from __future__ import annotations

import colorsys
import csv
import hashlib
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

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
PHOTO_SIZES = ((640, 480), (800, 600), (1024, 768), (480, 640), (600, 800), (960, 720))

FEATURED_EVERY = 10  # held_out_scenes(featured=...): one scene in ten is a featured query's
EVAL_BUCKETS = 8  # 1 in 8 scene keys is held out for evaluation
_RADIUS = {"small": (0.085, 0.1), "large": (0.165, 0.195)}  # fraction of the stage side
_MARGIN = 0.03


# ---------------------------------------------------------------------------------------
# Scene description
# ---------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------
# Captions
# ---------------------------------------------------------------------------------------
def _plural(noun: str) -> str:
    return noun + ("es" if noun.endswith(("s", "x")) else "s")


def noun_phrase(count: str, colour: str | None, shape: str | None, size: str | None = None) -> str:
    """``count`` is "a", "one", "two", "three" or "" (bare plural)."""
    plural = count in ("two", "three", "")
    noun = shape or "shape"
    words = [w for w in (size, colour, _plural(noun) if plural else noun) if w]
    if count == "a":
        return ("an " if words[0][0] in "aeiou" else "a ") + " ".join(words)
    return " ".join([count, *words] if count else words)


def background_suffix(background: str) -> str:
    return f" on a {background} background"


def caption(scene: Scene) -> str:
    """The full caption: every object's count, size, colour and shape, relation, background."""
    if scene.relation is None:
        first = scene.objects[0]
        text = noun_phrase(COUNT_WORDS[len(scene.objects)], first.colour, first.shape, first.size)
    else:
        a, b = scene.objects
        text = (
            f"{noun_phrase('a', a.colour, a.shape, a.size)} {scene.relation} "
            f"{noun_phrase('a', b.colour, b.shape, b.size)}"
        )
    if scene.background != "plain":
        text += background_suffix(scene.background)
    return text


# ---------------------------------------------------------------------------------------
# Query parsing and matching
# ---------------------------------------------------------------------------------------
# Constraints are hashable tuples:
#   ("object", ObjectSpec, count)    count: None = at least one, "2+" = at least two, or exact int
#   ("relation", ObjectSpec, "left of" | "above", ObjectSpec)
#   ("background", name)
Constraint = tuple

_COUNT_TOKENS: dict[str, int | str | None] = {"a": None, "an": None, "one": 1, "two": 2, "three": 3}
_NOUNS = {s: s for s in SHAPES} | {"shape": None, "object": None, "thing": None}
_PLURALS = {_plural(n): s for n, s in _NOUNS.items()}
_TEXTURES = {b: b for b in BACKGROUNDS} | {
    "stripy": "striped",
    "stripes": "striped",
    "spotted": "dotted",
    "dots": "dotted",
    "checked": "checkered",
    "checkerboard": "checkered",
    "chequered": "checkered",
}
_RELATION_TOKENS = {
    "left-of": "left of",
    "right-of": "right of",
    "above": "above",
    "below": "below",
}
MIRROR = {"left of": "right of", "right of": "left of", "above": "below", "below": "above"}
_REWRITES = (
    (r"\b(?:a|an)\s+(?:photo|picture|image)\s+of\s+", ""),
    (r"\b(?:to|on)\s+the\s+(left|right)\s+of\b", r"\1-of"),
    (r"\b(left|right)\s+of\b", r"\1-of"),
    (r"\bon\s+top\s+of\b", "above"),
    (r"\b(?:over)\b", "above"),
    (r"\b(?:under|beneath|underneath)\b", "below"),
)
_BACKGROUND_RE = re.compile(
    r"(?:\b(?:on|with|against)\s+)?(?:\b(?:an?|the)\s+)?(\S+)\s+background\b"
)


class QueryError(ValueError):
    """The text is not in the scene grammar."""


@dataclass(frozen=True)
class _Phrase:
    count: int | str | None
    spec: ObjectSpec


def _tokens(text: str) -> tuple[list[str], str | None]:
    """Normalised tokens without the background clause, and the background name."""
    text = re.sub(r"[^a-z\- ]+", " ", text.lower())
    for pattern, repl in _REWRITES:
        text = re.sub(pattern, repl, text)
    background = None
    match = _BACKGROUND_RE.search(text)
    if match:
        if match.group(1) not in _TEXTURES:
            raise QueryError(f"unknown background '{match.group(1)}'")
        background = _TEXTURES[match.group(1)]
        text = text[: match.start()] + " " + text[match.end() :]
    return text.split(), background


def _parse_phrase(words: list[str]) -> _Phrase | None:
    count: int | str | None = None
    fields: dict[str, str | None] = {}
    has_count = plural = False
    for word in words:
        if word in _COUNT_TOKENS and not has_count and not fields:
            count, has_count = _COUNT_TOKENS[word], True
        elif word in SIZES and "size" not in fields:
            fields["size"] = word
        elif word in COLOURS and "colour" not in fields:
            fields["colour"] = word
        elif (word in _NOUNS or word in _PLURALS) and "shape" not in fields:
            plural = word in _PLURALS
            fields["shape"] = _NOUNS.get(word) or _PLURALS.get(word)
        elif word == "the" and not fields:
            continue
        else:
            raise QueryError(f"unexpected word '{word}'")
    if not fields:  # a generic noun alone ("two shapes") is a phrase; an article is not
        if has_count:
            raise QueryError("an object needs a size, colour or shape")
        return None
    if plural and not has_count:
        count = "2+"
    spec = ObjectSpec(fields.get("colour"), fields.get("shape"), fields.get("size"))
    return _Phrase(count, spec)


def _parse(text: str) -> tuple[list[_Phrase], str | None, str | None]:
    words, background = _tokens(text)
    rel_at = [i for i, w in enumerate(words) if w in _RELATION_TOKENS]
    if len(rel_at) > 1:
        raise QueryError("at most one spatial relation is supported")
    if not rel_at:
        phrase = _parse_phrase(words)
        return ([phrase] if phrase else []), None, background
    i = rel_at[0]
    first, second = _parse_phrase(words[:i]), _parse_phrase(words[i + 1 :])
    if first is None or second is None:
        raise QueryError("a relation needs an object on each side")
    if any(p.count not in (None, 1) for p in (first, second)):
        raise QueryError("counts above one are not supported in a spatial relation")
    return [first, second], _RELATION_TOKENS[words[i]], background


def _relation_constraint(a: ObjectSpec, relation: str, b: ObjectSpec) -> Constraint:
    if relation in ("right of", "below"):  # store only "left of" and "above"
        a, relation, b = b, MIRROR[relation], a
    return ("relation", a, relation, b)


def parse_query(text: str) -> frozenset[Constraint]:
    """The set of attribute constraints a matching scene must satisfy (see module doc)."""
    phrases, relation, background = _parse(text)
    constraints: set[Constraint] = set()
    if relation:
        constraints.add(_relation_constraint(phrases[0].spec, relation, phrases[1].spec))
        constraints.update(("object", p.spec, 1) for p in phrases if p.count == 1)
    else:
        constraints.update(("object", p.spec, p.count) for p in phrases)
    if background:
        constraints.add(("background", background))
    if not constraints:
        raise QueryError(f"nothing to search for in '{text}'")
    return frozenset(constraints)


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
        _relation_constraint(pa, relation, pb) for pa in _patterns(a) for pb in _patterns(b)
    )


def scene_constraints(scene: Scene) -> frozenset[Constraint]:
    relations = [(0, scene.relation, 1)] if scene.relation else []
    return facts_constraints([t.spec for t in scene.objects], relations, scene.background)


def caption_constraints(text: str) -> frozenset[Constraint]:
    """Constraints that hold for the scene a full caption describes."""
    phrases, relation, background = _parse(text)
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


# ---------------------------------------------------------------------------------------
# Random scenes
# ---------------------------------------------------------------------------------------
def _choice(rng: np.random.Generator, options) -> object:
    return options[int(rng.integers(len(options)))]


def _style(rng: np.random.Generator) -> Style:
    lum = rng.uniform(130, 230)
    tint = rng.normal(0, 6, 3)
    base = tuple(int(min(255.0, max(0.0, lum + t))) for t in tint)
    return Style(
        base=base,  # type: ignore[arg-type]
        pattern_delta=float(rng.uniform(32, 55) * (-1 if lum > 165 or rng.random() < 0.5 else 1)),
        pattern_period=float(rng.uniform(0.08, 0.12)),
        pattern_angle=float(_choice(rng, (0, 45, 90, 135)) + rng.uniform(-8, 8)),
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


def _free_position(rng: np.random.Generator, r: float) -> tuple[float, float]:
    lo, hi = r + _MARGIN, 1 - r - _MARGIN
    x, y = rng.uniform(lo, hi, 2)
    return float(x), float(y)


def _inside(x: float, y: float, r: float) -> bool:
    lo, hi = r + _MARGIN, 1 - r - _MARGIN
    return lo <= x <= hi and lo <= y <= hi


def _apart(a: Thing, b: Thing, gap: float = 0.04) -> bool:
    return math.hypot(a.x - b.x, a.y - b.y) > a.radius + b.radius + gap


def _related(a: Thing, b: Thing, relation: str) -> bool:
    """Clearly ``a <relation> b``: separated along the axis, roughly aligned across it."""
    horizontal = relation in ("left of", "right of")
    along, across = (b.x - a.x, b.y - a.y) if horizontal else (b.y - a.y, b.x - a.x)
    if relation in ("right of", "below"):
        along = -along
    return along > a.radius + b.radius + 0.05 and abs(across) < 0.12


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


def _layout(
    things: list[Thing], relation: str | None, rng: np.random.Generator
) -> tuple[Thing, ...]:
    for _ in range(10_000):
        if relation is None:
            placed = _place_group(things, rng)
        else:
            placed = _place_pair(things, relation, rng)
        if placed is not None:
            return tuple(placed)
    raise RuntimeError("could not lay out scene")  # pragma: no cover - sizes always fit


def make_scene(
    specs: list[ObjectSpec], relation: str | None, background: str, rng: np.random.Generator
) -> Scene:
    """A scene with these objects (a group of identical specs, or a related pair)."""
    if relation is None and len(set(specs)) != 1:
        raise ValueError("a scene without a relation is a group of identical objects")
    if relation is not None and (len(specs) != 2 or specs[0][:2] == specs[1][:2]):
        raise ValueError("a relation needs two objects differing in colour or shape")
    things = _layout([_thing(s, rng) for s in specs], relation, rng)
    return Scene(objects=things, background=background, relation=relation, style=_style(rng))


def _random_spec(rng: np.random.Generator, fixed: ObjectSpec | None = None) -> ObjectSpec:
    fixed = fixed or ObjectSpec(None, None, None)
    return ObjectSpec(
        fixed.colour or _choice(rng, list(COLOURS)),
        fixed.shape or _choice(rng, SHAPES),
        fixed.size or _choice(rng, SIZES),
    )


def _random_pair(
    rng: np.random.Generator, a: ObjectSpec | None = None, b: ObjectSpec | None = None
) -> tuple[ObjectSpec, ObjectSpec]:
    while True:
        sa, sb = _random_spec(rng, a), _random_spec(rng, b)
        if sa[:2] != sb[:2]:
            return sa, sb


def scene_key(scene: Scene) -> str:
    """Identity of a scene: caption plus layout quantised to 1/20 of the stage."""
    layout = [(round(t.x * 20), round(t.y * 20)) for t in scene.objects]
    return hashlib.sha1(f"{caption(scene)}|{layout}".encode()).hexdigest()


def scene_split(scene: Scene) -> str:
    """ "eval" for 1 in ``EVAL_BUCKETS`` scene keys, else "train"."""
    return "eval" if int(scene_key(scene)[:8], 16) % EVAL_BUCKETS == 0 else "train"


def _draw_random(rng: np.random.Generator, background: str | None = None) -> Scene:
    background = background or _choice(rng, BACKGROUNDS)
    if rng.random() < 0.5:
        spec = _random_spec(rng)
        return make_scene([spec] * int(rng.integers(1, 4)), None, background, rng)
    return make_scene(list(_random_pair(rng)), _choice(rng, RELATIONS), background, rng)


def random_scene(rng: np.random.Generator, split: str | None = None) -> Scene:
    """A random scene; with ``split`` ("train"/"eval") only scenes of that split."""
    while True:
        scene = _draw_random(rng)
        if split is None or scene_split(scene) == split:
            return scene


def _draw_for(constraints: frozenset[Constraint], rng: np.random.Generator) -> Scene:
    background = _choice(rng, BACKGROUNDS)
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
                specs, relation = [spec, other], _choice(rng, RELATIONS)
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


# ---------------------------------------------------------------------------------------
# Training text: true statements and one-attribute hard negatives
# ---------------------------------------------------------------------------------------
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


def _specs(scene: Scene) -> list[ObjectSpec]:
    return [t.spec for t in scene.objects]


def perturb(scene: Scene, rng: np.random.Generator, split: str | None = None) -> Scene:
    """A scene that differs from ``scene`` in exactly one described attribute."""
    for _ in range(1000):
        specs, relation, background = _specs(scene), scene.relation, scene.background
        which = int(rng.integers(len(specs)))
        options = ["colour", "shape", "size", "background"]
        options.append("relation" if relation else "count")
        change = _choice(rng, options)
        if change == "background":
            background = _choice(rng, [b for b in BACKGROUNDS if b != background])
        elif change == "count":
            n = _choice(rng, [n for n in COUNT_WORDS if n != len(specs)])
            specs = [specs[0]] * int(n)  # type: ignore[call-overload]
        elif change == "relation":
            relation = MIRROR[relation] if rng.random() < 0.6 else _choice(rng, RELATIONS)
        else:
            field = {"colour": 0, "shape": 1, "size": 2}[change]
            values = {"colour": list(COLOURS), "shape": SHAPES, "size": SIZES}[change]
            new = _choice(rng, [v for v in values if v != specs[which][field]])
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


# ---------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------
def _rgb(colour: str, tint: tuple[float, float, float], value: float = 1.0) -> tuple[int, ...]:
    hue, sat, val = COLOURS[colour]
    r, g, b = colorsys.hsv_to_rgb(
        ((hue + tint[0]) % 360) / 360, sat * tint[1], min(1.0, val * tint[2] * value)
    )
    return int(r * 255), int(g * 255), int(b * 255)


def _polygon(thing: Thing, cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    if thing.shape == "square":
        points = [(r * 1.2, math.radians(45 + 90 * k)) for k in range(4)]
    elif thing.shape == "triangle":
        points = [(r * 1.15, math.radians(-90 + 120 * k)) for k in range(3)]
        cy += r * 0.12  # the centroid sits low in the bounding circle
    elif thing.shape == "star":
        radii = (r * 1.15, r * 0.5)
        points = [(radii[k % 2], math.radians(-90 + 36 * k)) for k in range(10)]
    elif thing.shape == "cross":
        w = 0.36
        corners = [(w, 1), (-w, 1), (-w, w), (-1, w), (-1, -w), (-w, -w)]
        corners += [(-w, -1), (w, -1), (w, -w), (1, -w), (1, w), (w, w)]
        points = [(r * math.hypot(x, y), math.atan2(y, x)) for x, y in corners]
    else:
        raise ValueError(f"unknown shape {thing.shape}")
    turn = math.radians(thing.angle)
    return [(cx + d * math.cos(a + turn), cy + d * math.sin(a + turn)) for d, a in points]


def _stage_coords(width: int, height: int) -> tuple[np.ndarray, np.ndarray, int]:
    side = min(width, height)
    u = (np.arange(width, dtype=np.float32) + 0.5 - (width - side) / 2) / side
    v = (np.arange(height, dtype=np.float32) + 0.5 - (height - side) / 2) / side
    return u[None, :], v[:, None], side


def _texture(background: str, style: Style, width: int, height: int) -> np.ndarray:
    """Texture coverage in [0, 1] (soft edges), shape (height, width)."""
    u, v, side = _stage_coords(width, height)
    if background == "plain":
        return np.zeros((height, width), np.float32)
    period = style.pattern_period * (1.3 if background == "checkered" else 1.0)
    angle = style.pattern_angle if background == "striped" else style.pattern_angle % 45 - 22.5
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    a = (u * c + v * s) / period
    b = (v * c - u * s) / period
    pixel = 1.0 / (period * side)  # one pixel in pattern-period units
    if background == "striped":
        return np.clip((0.25 - np.abs(a % 1 - 0.5)) / pixel + 0.5, 0, 1)
    if background == "dotted":
        dist = np.hypot(a % 1 - 0.5, b % 1 - 0.5)
        return np.clip((0.22 - dist) / pixel + 0.5, 0, 1)
    if background == "checkered":
        sa = np.clip((0.25 - np.abs(a % 1 - 0.5)) / pixel, -1, 1)
        sb = np.clip((0.25 - np.abs(b % 1 - 0.5)) / pixel, -1, 1)
        return (1 + sa * sb) / 2
    raise ValueError(f"unknown background {background}")


_NOISE_TILE = 256


@lru_cache(maxsize=1)
def _noise_bank() -> np.ndarray:
    """A fixed tile of unit Gaussian noise; images take a seeded window of it, tiled."""
    rng = np.random.default_rng(0)
    return rng.standard_normal((2 * _NOISE_TILE, 2 * _NOISE_TILE, 3), dtype=np.float32)


def _noise(seed: int, width: int, height: int) -> np.ndarray:
    dy, dx = divmod(seed % (_NOISE_TILE * _NOISE_TILE), _NOISE_TILE)
    tile = _noise_bank()[dy : dy + _NOISE_TILE, dx : dx + _NOISE_TILE]
    reps = (-(-height // _NOISE_TILE), -(-width // _NOISE_TILE), 1)
    return np.tile(tile, reps)[:height, :width]


def render_scene(scene: Scene, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """Render ``scene`` as an RGB image of ``size`` (width, height); deterministic."""
    width, height = size
    style = scene.style
    coverage = _texture(scene.background, style, width, height)
    pixels = np.asarray(style.base, np.float32) + coverage[..., None] * style.pattern_delta
    image = Image.fromarray(pixels.astype(np.uint8), "RGB")  # base +- delta stays in 0..255

    side = min(width, height)
    ox, oy = (width - side) / 2, (height - side) / 2
    draw = ImageDraw.Draw(image)
    line = max(1, round(side * 0.008))
    for thing in scene.objects:
        cx, cy, r = ox + thing.x * side, oy + thing.y * side, thing.radius * side
        fill, edge = _rgb(thing.colour, thing.tint), _rgb(thing.colour, thing.tint, 0.6)
        if thing.shape == "circle":
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill, outline=edge, width=line)
        else:
            draw.polygon(_polygon(thing, cx, cy, r), fill=fill, outline=edge, width=line)

    radius = style.blur * side
    if radius >= 0.5:  # below that a blur is invisible
        image = image.filter(ImageFilter.BoxBlur(radius))
    u, v, _ = _stage_coords(width, height)
    light = 1 + style.light_strength * (
        (u - 0.5) * math.cos(style.light_angle) + (v - 0.5) * math.sin(style.light_angle)
    )
    pixels = np.asarray(image, np.float32) * light[..., None]
    pixels += _noise(style.seed, width, height) * style.noise
    np.clip(pixels, 0, 255, out=pixels)
    return Image.fromarray(pixels.astype(np.uint8), "RGB")


# ---------------------------------------------------------------------------------------
# Held-out evaluation set and demo folders
# ---------------------------------------------------------------------------------------
_QUERY_SEED = 31337
_EVAL_STREAM = 2  # training uses stream 1 (see engine.demo.train)


def held_out_queries() -> list[str]:
    """120 fixed evaluation queries: colour+shape, count, background, size and relations."""
    rng = np.random.default_rng(_QUERY_SEED)
    combos = [(c, s) for c in COLOURS for s in SHAPES]
    queries = [noun_phrase("a", c, s) for c, s in combos]

    def pick(n: int) -> list[tuple[str, str]]:
        return [combos[i] for i in rng.permutation(len(combos))[:n]]

    queries += [noun_phrase(_choice(rng, ("two", "three")), c, s) for c, s in pick(20)]
    queries += [
        noun_phrase("a", c, s) + background_suffix(_choice(rng, BACKGROUNDS[1:]))
        for c, s in pick(20)
    ]
    queries += [noun_phrase("a", c, s, _choice(rng, SIZES)) for c, s in pick(20)]
    while len(queries) < 120:
        (ca, sa), (cb, sb) = pick(2)
        if (ca, sa) != (cb, sb):
            relation = _choice(rng, RELATIONS)
            text = f"{noun_phrase('a', ca, sa)} {relation} {noun_phrase('a', cb, sb)}"
            if text not in queries:
                queries.append(text)
    assert len(set(queries)) == len(queries)
    return queries


def held_out_scenes(count: int, seed: int = 0, featured: Sequence[str] = ()) -> list[Scene]:
    """``count`` eval-split scenes; image i is drawn to satisfy held-out query i mod 120.

    Cycling through the queries guarantees every query relevant images (>= 10 each for
    1,200 scenes); every other scene of the set is a distractor for it. With ``featured``
    queries (a demo's example searches), every tenth scene is drawn for one of them instead,
    so each has several matching photos even in a small folder.
    """
    rng = np.random.default_rng([_EVAL_STREAM, seed])
    queries = held_out_queries()
    order: list[int] = []
    scenes = []
    for i in range(count):
        if featured and i % FEATURED_EVERY == 0:
            query = featured[(i // FEATURED_EVERY) % len(featured)]
            scenes.append(scene_for_query(query, rng, split="eval"))
            continue
        if not order:
            order = list(rng.permutation(len(queries)))
        scenes.append(scene_for_query(queries[order.pop()], rng, split="eval"))
    return scenes


def write_demo_folder(
    directory: str | Path, count: int, seed: int = 0, featured: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """Write ``count`` held-out scenes as JPEG/PNG photos plus ``captions.csv``.

    Returns ``(file name, caption)`` pairs; file names are relative to ``directory``.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([_EVAL_STREAM, seed, 1])
    rows = []
    for i, scene in enumerate(held_out_scenes(count, seed, featured)):
        size = PHOTO_SIZES[int(rng.integers(len(PHOTO_SIZES)))]
        image = render_scene(scene, size)
        if rng.random() < 0.7:
            name = f"scene_{i:05d}.jpg"
            image.save(directory / name, "JPEG", quality=int(rng.integers(82, 95)))
        else:
            name = f"scene_{i:05d}.png"
            image.save(directory / name, "PNG", compress_level=1)
        rows.append((name, caption(scene)))
    write_captions(directory / "captions.csv", rows)
    return rows


def write_captions(path: str | Path, rows: Sequence[tuple[str, str]]) -> None:
    """A ``file,caption`` CSV (what ``read_captions``, ``bench.quality --captions`` and
    ``model convert --calibrate`` read)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["file", "caption"])
        writer.writerows(rows)


def read_captions(path: str | Path) -> list[tuple[str, str]]:
    """Rows of a ``file,caption`` CSV."""
    with open(path, newline="", encoding="utf-8") as f:
        return [(row["file"], row["caption"]) for row in csv.DictReader(f)]

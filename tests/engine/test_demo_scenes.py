"""The demo scene renderer, captions and query matcher."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from PIL import Image

from engine.demo.scenes.captions import caption
from engine.demo.scenes.folder import PHOTO_SIZES, write_demo_folder
from engine.demo.scenes.generate import make_scene, random_scene, scene_for_query
from engine.demo.scenes.held_out import held_out_queries, held_out_scenes
from engine.demo.scenes.matching import caption_constraints, caption_satisfies, scene_constraints
from engine.demo.scenes.query import parse_query
from engine.demo.scenes.render import render_scene
from engine.demo.scenes.scene import MIRROR, ObjectSpec
from engine.demo.scenes.split import scene_key, scene_split
from engine.demo.scenes.statements import random_statement, relation_near_misses
from engine.demo.scenes.variations import perturb, reflected


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def test_random_scene_and_render_are_deterministic():
    a, b = random_scene(_rng(7)), random_scene(_rng(7))
    assert a == b
    pixels_a = np.asarray(render_scene(a, (320, 240)))
    pixels_b = np.asarray(render_scene(b, (320, 240)))
    assert np.array_equal(pixels_a, pixels_b)
    assert random_scene(_rng(8)) != a


@pytest.mark.parametrize("size", [(640, 480), (1024, 768), (480, 640), (64, 64)])
def test_render_sizes(size):
    image = render_scene(random_scene(_rng(1)), size)
    assert image.mode == "RGB" and image.size == size


def test_objects_stay_inside_the_central_square():
    rng = _rng(2)
    for _ in range(200):
        for thing in random_scene(rng).objects:
            assert thing.radius <= thing.x <= 1 - thing.radius
            assert thing.radius <= thing.y <= 1 - thing.radius


def test_objects_have_their_colour_in_the_rendered_image():
    scene = scene_for_query("a large red circle", _rng(3))
    thing = scene.objects[0]
    image = render_scene(scene, (400, 300))
    cx, cy = 50 + thing.x * 300, thing.y * 300
    r, g, b = image.getpixel((int(cx), int(cy)))
    assert r > 150 and g < 100 and b < 100


def test_captions_parse_back_to_the_scene():
    rng = _rng(4)
    for _ in range(300):
        scene = random_scene(rng)
        text = caption(scene)
        assert caption_constraints(text) == scene_constraints(scene), text
        assert caption_satisfies(text, text)


def test_caption_examples():
    rng = _rng(5)
    group = make_scene([ObjectSpec("red", "circle", "small")] * 2, None, "striped", rng)
    assert caption(group) == "two small red circles on a striped background"
    pair = make_scene(
        [
            ObjectSpec("blue", "square", "large"),
            ObjectSpec("orange", "star", "small"),
        ],
        "left of",
        "plain",
        rng,
    )
    assert caption(pair) == "a large blue square left of a small orange star"
    a, b = pair.objects
    assert a.x + a.radius < b.x - b.radius


PAIR = "a large blue square left of a small yellow star"
TRUTH_TABLE = [
    # caption, query, satisfied
    ("two small red circles on a striped background", "a red circle", True),
    ("two small red circles on a striped background", "two red circles", True),
    ("two small red circles on a striped background", "three red circles", False),
    ("two small red circles on a striped background", "one red circle", False),
    ("two small red circles on a striped background", "red circles", True),
    ("two small red circles on a striped background", "a large red circle", False),
    ("two small red circles on a striped background", "a red circle on a striped background", True),
    ("two small red circles on a striped background", "a red circle on a dotted background", False),
    ("two small red circles on a striped background", "a blue circle", False),
    ("two small red circles on a striped background", "a red square", False),
    ("two small red circles", "a red circle left of a red circle", False),
    ("a small red circle", "one red circle", True),
    ("a small red circle", "red circles", False),
    ("a small red circle", "a red circle on a plain background", True),
    ("a small red circle", "a red circle on a striped background", False),
    ("a small red circle", "a small red circle", True),
    ("a small red circle", "a circle", True),
    ("a small red circle", "a red shape", True),
    (
        "a large blue square left of a small yellow star",
        "a blue square left of a yellow star",
        True,
    ),
    (
        "a large blue square left of a small yellow star",
        "a yellow star right of a blue square",
        True,
    ),
    (
        "a large blue square left of a small yellow star",
        "a yellow star to the right of a square",
        True,
    ),
    (
        "a large blue square left of a small yellow star",
        "a blue square right of a yellow star",
        False,
    ),
    (
        "a large blue square left of a small yellow star",
        "a yellow star left of a blue square",
        False,
    ),
    (PAIR, "a blue square above a yellow star", False),
    (
        "a large blue square left of a small yellow star",
        "a large square left of a small star",
        True,
    ),
    (PAIR, "a small square left of a star", False),
    (PAIR, "a yellow star", True),
    (PAIR, "a blue star", False),
    (PAIR, "two shapes", True),
    (PAIR, "two squares", False),
    ("a small red circle above a large red square", "two red shapes", True),
    ("a small red circle above a large red square", "a red square below a red circle", True),
    ("a small red circle above a large red square", "a red square above a red circle", False),
    ("three large orange stars on a dotted background", "an orange star", True),
    ("three large orange stars on a dotted background", "three orange stars", True),
    ("three large orange stars on a dotted background", "two orange stars", False),
    ("a small green cross on a checkered background", "a photo of a green cross", True),
]


@pytest.mark.parametrize(("caption_text", "query", "expected"), TRUTH_TABLE)
def test_caption_satisfies_truth_table(caption_text, query, expected):
    assert caption_satisfies(caption_text, query) is expected


def test_parse_query_constraints():
    spec = ObjectSpec("red", "circle", None)
    assert parse_query("a red circle") == {("object", spec, None)}
    assert parse_query("Two red circles.") == {("object", spec, 2)}
    relation = parse_query("a red circle right of a blue square on a dotted background")
    square = ObjectSpec("blue", "square", None)
    assert relation == {
        ("relation", square, "left of", spec),
        ("background", "dotted"),
    }


@pytest.mark.parametrize(
    "query", ["", "a purple elephant", "two red circles left of a square", "a red circle left of"]
)
def test_parse_query_rejects(query):
    with pytest.raises(ValueError):
        parse_query(query)


def test_statements_are_true_and_perturbations_differ():
    rng = _rng(6)
    for _ in range(200):
        scene = random_scene(rng, split="train")
        statement = random_statement(scene, rng)
        assert parse_query(statement) <= scene_constraints(scene), statement
        other = perturb(scene, rng, split="train")
        assert caption(other) != caption(scene)
        assert scene_split(other) == "train"


def test_a_reflected_pair_differs_in_its_relation_only():
    rng = _rng(9)
    pairs = [s for s in (random_scene(rng) for _ in range(300)) if s.relation]
    for scene in pairs:
        twin = reflected(scene)
        assert [t.spec for t in twin.objects] == [t.spec for t in scene.objects]
        assert (twin.background, twin.style) == (scene.background, scene.style)
        assert twin.relation == MIRROR[scene.relation]
        assert scene_key(reflected(twin)) == scene_key(scene)
        assert not caption_satisfies(caption(twin), caption(scene))
        objects = {c for c in scene_constraints(scene) if c[0] != "relation"}
        assert objects <= scene_constraints(twin)


def test_relation_near_misses_are_false_and_name_both_objects():
    rng = _rng(10)
    pairs = [s for s in (random_scene(rng) for _ in range(300)) if s.relation]
    for scene in pairs:
        misses = relation_near_misses(scene, rng)
        a, b = scene.objects
        assert len(misses) == (2 if a.colour != b.colour else 1)
        for text in misses:
            assert not caption_satisfies(caption(scene), text), text
            assert caption_satisfies(caption(reflected(scene)), misses[0])
    lone = scene_for_query("two red circles", rng)
    assert relation_near_misses(lone, rng) == []


def test_held_out_queries():
    queries = held_out_queries()
    assert len(queries) >= 100 and len(set(queries)) == len(queries)
    assert queries == held_out_queries()
    kinds = {frozenset(c[0] for c in parse_query(q)) for q in queries}
    assert {"relation"} in kinds and {"object", "background"} in kinds
    counts = {c[2] for q in queries for c in parse_query(q) if c[0] == "object"}
    assert {None, 2, 3} <= counts
    sizes = {c[1].size for q in queries for c in parse_query(q) if c[0] == "object"}
    assert {"small", "large"} <= sizes


def test_held_out_scenes_satisfy_their_queries_and_are_eval_only():
    queries = held_out_queries()
    held = held_out_scenes(len(queries), seed=0)
    satisfied = [any(caption_satisfies(caption(s), q) for s in held) for q in queries]
    assert all(satisfied)
    assert all(scene_split(s) == "eval" for s in held)
    rng = _rng(9)
    train = [random_scene(rng, split="train") for _ in range(300)]
    assert all(scene_split(s) == "train" for s in train)
    assert not {scene_key(s) for s in train} & {scene_key(s) for s in held}


def test_write_demo_folder(tmp_path):
    rows = write_demo_folder(tmp_path / "demo", 12, seed=0)
    assert len(rows) == 12
    with open(tmp_path / "demo" / "captions.csv", newline="") as f:
        reader = csv.reader(f)
        assert next(reader) == ["file", "caption"]
        assert [tuple(r) for r in reader] == rows
    formats = set()
    for name, text in rows:
        with Image.open(tmp_path / "demo" / name) as image:
            formats.add(image.format)
            assert image.size in PHOTO_SIZES
            assert image.format == ("JPEG" if name.endswith(".jpg") else "PNG")
        caption_constraints(text)  # parses
    assert formats == {"JPEG", "PNG"}
    again = write_demo_folder(tmp_path / "again", 3, seed=0)
    assert again == rows[:3]

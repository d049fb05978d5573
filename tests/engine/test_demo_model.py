"""The shipped demo models: plain open_clip loading, file size and real trained semantics."""

from __future__ import annotations

import numpy as np
import open_clip
import pytest
import torch

from engine.demo.configs import DEMO_MODELS
from engine.demo.scenes.captions import noun_phrase
from engine.demo.scenes.chinese_phrases import to_chinese
from engine.demo.scenes.generate import scene_for_query
from engine.demo.scenes.render import render_scene
from engine.demo.scenes.scene import COLOURS, RELATIONS, SHAPES, Scene
from engine.demo.scenes.variations import reflected

MAX_WEIGHTS_BYTES = 10_000_000


@pytest.fixture(scope="module", params=sorted(DEMO_MODELS))
def demo_model(request):
    name, weights, _ = DEMO_MODELS[request.param]
    if not weights.is_file():
        pytest.skip(
            f"{weights.name} is not shipped yet: run python -m engine.demo.train --model"
            f" {request.param}"
        )
    open_clip.add_model_config(DEMO_MODELS[request.param].config_file)  # a plain open_clip config
    torch.set_num_threads(2)
    model, _, preprocess = open_clip.create_model_and_transforms(name, pretrained=str(weights))
    model.eval()
    return name, weights, model, preprocess, open_clip.get_tokenizer(name)


def _similarity(demo_model, scene_list: list[Scene], texts: list[str]) -> np.ndarray:
    """(texts, images) cosine similarities, images rendered photo-size as the product sees them."""
    _, _, model, preprocess, tokenizer = demo_model
    images = torch.stack([preprocess(render_scene(s, (800, 600))) for s in scene_list])
    with torch.inference_mode():
        image_features = model.encode_image(images, normalize=True)
        text_features = model.encode_text(tokenizer(texts), normalize=True)
    return (text_features @ image_features.T).numpy()


def _scene(query: str, seed: int) -> Scene:
    return scene_for_query(query, np.random.default_rng(seed), split="eval")


def test_weights_file_is_small(demo_model):
    _, weights, _, _, _ = demo_model
    assert weights.stat().st_size <= MAX_WEIGHTS_BYTES


def test_a_photo_is_encoded_from_64_pixels_square(demo_model):
    _, _, _, preprocess, _ = demo_model
    photo = render_scene(_scene("a large red circle", 1), (800, 600))
    assert tuple(preprocess(photo).shape) == (3, 64, 64)


def test_colour_and_shape(demo_model):
    red_circle = _scene("a large red circle", 1)
    blue_square = _scene("a large blue square", 2)
    sim = _similarity(demo_model, [red_circle, blue_square], ["a red circle", "a blue square"])
    assert sim[0, 0] > sim[0, 1]
    assert sim[1, 1] > sim[1, 0]


CAPTIONS = [
    "a large red circle",
    "a large blue square",
    "three green triangles",
    "a yellow star on a striped background",
    "an orange cross on a checkered background",
    "two purple circles",
]


def test_each_caption_finds_its_own_scene(demo_model):
    queries = CAPTIONS
    scene_list = [_scene(q, seed) for seed, q in enumerate(queries)]
    sim = _similarity(demo_model, scene_list, queries)
    assert list(sim.argmax(axis=1)) == list(range(len(queries)))


def test_each_chinese_caption_finds_its_own_scene(demo_model):
    queries = CAPTIONS
    scene_list = [_scene(q, seed) for seed, q in enumerate(queries)]
    sim = _similarity(demo_model, scene_list, [to_chinese(q) for q in queries])
    assert list(sim.argmax(axis=1)) == list(range(len(queries)))


def test_counts(demo_model):
    scene_list = [_scene("two large red circles", 10), _scene("three large red circles", 11)]
    sim = _similarity(demo_model, scene_list, ["two red circles"])
    assert sim[0, 0] > sim[0, 1]


def test_a_relation_query_finds_both_of_its_objects(demo_model):
    text = "a red circle left of a blue square"
    scene_list = [
        _scene(text, 12),
        _scene("a red circle left of a green triangle", 13),
        _scene("a yellow star left of a blue square", 14),
        _scene("two large red circles", 15),
    ]
    sim = _similarity(demo_model, scene_list, [text])
    assert sim[0, 0] == sim[0].max()


def test_a_relation_query_ranks_its_scene_above_the_mirror_image(demo_model):
    colours, shapes = list(COLOURS), SHAPES
    wins = 0
    for i in range(20):
        rng = np.random.default_rng([40, i])
        c1, c2 = (colours[j] for j in rng.choice(len(colours), 2, replace=False))
        s1, s2 = (shapes[j] for j in rng.choice(len(shapes), 2, replace=False))
        relation = RELATIONS[i % len(RELATIONS)]
        text = f"{noun_phrase('a', c1, s1)} {relation} {noun_phrase('a', c2, s2)}"
        scene = scene_for_query(text, rng, split="eval")
        sim = _similarity(demo_model, [scene, reflected(scene)], [text])
        wins += int(sim[0, 0] > sim[0, 1])
    assert wins >= 15  # a model blind to direction gets 10 of 20 on average

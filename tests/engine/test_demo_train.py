"""The demo training script: its statement bank labels, and a short reproducible run."""

from __future__ import annotations

import numpy as np
import open_clip
import torch

from engine.demo.configs import DEMO_MODELS
from engine.demo.scenes.captions import noun_phrase
from engine.demo.scenes.generate import random_scene, scene_for_query
from engine.demo.scenes.matching import scene_constraints
from engine.demo.scenes.query import parse_query
from engine.demo.scenes.scene import BACKGROUNDS, COLOURS, SHAPES
from engine.demo.scenes.variations import reflected
from engine.demo.training.bank import BankTruth, statement_bank
from engine.demo.training.layout_probe import layout_labels
from engine.demo.training.loop import train
from engine.demo.training.schedule import SETTINGS


def test_bank_truth_agrees_with_the_query_matcher():
    texts = statement_bank()
    truth = BankTruth(texts)
    rng = np.random.default_rng(4)
    for _ in range(6):
        scene = random_scene(rng)
        facts = scene_constraints(scene)
        holds = truth.holds(facts)
        assert holds.tolist() == [parse_query(t) <= facts for t in texts]
        # the bank names every object of the scene by colour and shape
        for thing in scene.objects:
            assert holds[texts.index(noun_phrase("a", thing.colour, thing.shape))]


def test_layout_labels_say_which_object_is_first_along_the_relation():
    rng = np.random.default_rng(5)
    pairs = [s for s in (random_scene(rng) for _ in range(100)) if s.relation]
    colours, shapes = list(COLOURS), list(SHAPES)
    for scene in pairs:
        labels, twin = layout_labels(scene), layout_labels(reflected(scene))
        axis = 2 if scene.relation in ("left of", "right of") else 6
        first, second = scene.objects
        if scene.relation in ("right of", "below"):
            first, second = second, first
        assert labels[axis : axis + 4] == [
            colours.index(first.colour),
            shapes.index(first.shape),
            colours.index(second.colour),
            shapes.index(second.shape),
        ]
        assert twin[axis : axis + 4] == labels[axis + 2 : axis + 4] + labels[axis : axis + 2]
        other = 8 - axis
        assert set(labels[other : other + 4]) == {-100}
        assert labels[:2] == twin[:2] == [BACKGROUNDS.index(scene.background), 3]
    group = scene_for_query("three blue stars on a dotted background", rng)
    assert layout_labels(group) == [BACKGROUNDS.index("dotted"), 2] + [-100] * 8


def _short_run(kind: str, out, teacher=None, seed: int = 0) -> dict[str, torch.Tensor]:
    original, threads = dict(SETTINGS[kind]), torch.get_num_threads()
    SETTINGS[kind].update(batch=8, family=2)
    try:
        train(kind, out, steps=2, seed=seed, threads=1, workers=0, teacher_path=teacher)
    finally:
        SETTINGS[kind].clear()
        SETTINGS[kind].update(original)
        torch.use_deterministic_algorithms(False)
        torch.set_num_threads(threads)
    return torch.load(out)


def test_a_short_vit_run_is_reproducible_and_loads_in_open_clip(tmp_path):
    teacher = DEMO_MODELS["resnet"][1]
    first = _short_run("vit", tmp_path / "a.pt", teacher if teacher.is_file() else None)
    second = _short_run("vit", tmp_path / "b.pt", teacher if teacher.is_file() else None)
    other_seed = _short_run("vit", tmp_path / "c.pt", teacher if teacher.is_file() else None, 1)

    assert first.keys() == second.keys()
    assert all(torch.equal(first[k], second[k]) for k in first)
    assert not torch.equal(first["visual.conv1.weight"], other_seed["visual.conv1.weight"])
    open_clip.add_model_config(DEMO_MODELS["vit"].config_file)  # a plain open_clip config
    model = open_clip.create_model(DEMO_MODELS["vit"][0], pretrained=str(tmp_path / "a.pt"))
    assert model.visual.conv1.weight.dtype == torch.float32

"""`photosearch duplicates` through the real CLI on the demo ViT: copies of one photo
(re-saved, resized) are one group, best copy first; distinct scenes stay apart."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import run_cli, run_json
from PIL import Image

from engine.demo.scenes.held_out import held_out_scenes
from engine.demo.scenes.render import render_scene
from engine.registry import DEMO_MODELS

DISTINCT = 5


@pytest.fixture(scope="module")
def library_with_copies(tmp_path_factory):
    if not DEMO_MODELS["demo"].weights.is_file():
        pytest.skip("demo weights are not shipped in this build")
    root = tmp_path_factory.mktemp("duplicates")
    folder = root / "photos"
    folder.mkdir()
    for i, scene in enumerate(held_out_scenes(DISTINCT)):
        render_scene(scene, (800, 600)).save(folder / f"scene{i}.png")
    original = Image.open(folder / "scene0.png").convert("RGB")
    original.save(folder / "scene0_resaved.jpg", "JPEG", quality=60)
    original.resize((400, 300), Image.LANCZOS).save(folder / "scene0_small.png")
    shutil.copyfile(folder / "scene1.png", folder / "scene1_copy.png")  # same bytes, newer
    proc = run_cli("index", str(folder), "--model", "demo", library=root / "library")
    assert proc.returncode == 0, proc.stderr
    return folder, root / "library"


def test_copies_are_one_group_best_first_and_distinct_scenes_stay_apart(library_with_copies):
    folder, library = library_with_copies
    groups = run_json("duplicates", library=library)
    names = [[Path(c["path"]).name for c in g["copies"]] for g in groups]
    assert names == [
        ["scene0.png", "scene0_resaved.jpg", "scene0_small.png"],
        ["scene1.png", "scene1_copy.png"],
    ]
    assert groups[0]["best"] == str(folder / "scene0.png")


def test_identical_files_group_by_content_hash_at_any_threshold(library_with_copies):
    _, library = library_with_copies
    groups = run_json("duplicates", "--threshold", "1", library=library)
    assert [[Path(c["path"]).name for c in g["copies"]] for g in groups] == [
        ["scene1.png", "scene1_copy.png"]
    ]


def test_text_output_names_the_copy_to_keep(library_with_copies):
    folder, library = library_with_copies
    proc = run_cli("duplicates", library=library)
    assert proc.returncode == 0
    keep = [line for line in proc.stdout.splitlines() if line.strip().startswith("keep")]
    assert [line.split()[-1] for line in keep] == [
        str(folder / "scene0.png"),
        str(folder / "scene1.png"),
    ]


def test_a_threshold_out_of_range_is_a_usage_error(library_with_copies):
    _, library = library_with_copies
    proc = run_cli("duplicates", "--threshold", "1.5", library=library)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].endswith("at most 1")

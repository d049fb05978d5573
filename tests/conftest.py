"""Shared fixtures (helpers live in cli_support.py, importable from every test folder)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from cli_support import DEMO_COUNT, copy_shared_photos, run_cli
from hub_cache_support import write_hub_cache

from app.null_text_vectors import CACHE_ENV
from engine.registry import DEMO_MODELS

# Tests read English output whatever the developer's locale; tests/test_language*.py set
# their own languages (the CLI subprocesses inherit this).
os.environ["PHOTOSEARCH_LANG"] = "en"


@pytest.fixture(scope="session", autouse=True)
def _own_cache_folder(tmp_path_factory):
    """Text vectors the CLI caches (app/null_text_vectors.py) go to a folder of the test
    session's own, not the user's cache (the CLI subprocesses inherit this)."""
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def photos_dir(tmp_path: Path) -> Path:
    """A writable copy of the shared sample photos (18 images)."""
    return copy_shared_photos(tmp_path / "photos")


@pytest.fixture(scope="session", params=["demo-resnet", "demo"])
def demo_library(request, tmp_path_factory):
    """A demo folder indexed with each shipped demo model: (model, folder, library, captions,
    the demo command's output); shared by every test module that searches it."""
    model = request.param
    if not DEMO_MODELS[model].weights.is_file():
        pytest.skip(f"{model} weights are not shipped in this build")
    root = tmp_path_factory.mktemp(f"demo-cli-{model}")
    folder, library = root / "photos", root / "library"
    count = str(DEMO_COUNT)
    proc = run_cli("demo", str(folder), "--count", count, "--model", model, library=library)
    assert proc.returncode == 0, proc.stderr
    with open(folder / "captions.csv", newline="", encoding="utf-8") as f:
        captions = {row["file"]: row["caption"] for row in csv.DictReader(f)}
    return model, folder, library, captions, proc.stdout


@pytest.fixture(scope="session")
def multilingual_hub(tmp_path_factory):
    """A model hub cache with both multilingual families (tiny, written by the tests; see
    hub_cache_support.py): (cache folder, arch -> the model its checkpoint was saved from)."""
    return write_hub_cache(tmp_path_factory.mktemp("hub"))

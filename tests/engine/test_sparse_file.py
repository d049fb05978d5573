"""The .sparse file: round trip, `model convert`/`model info` in a real process, bad inputs,
and libraries shared between a dense model and its sparse conversion."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from cli_support import run_cli, run_json
from PIL import Image

from app.calibration import calibration_for
from engine.encoder import ClipEncoder
from engine.errors import ModelError
from engine.models import load_clip
from engine.registry import parse_source
from engine.sparse import fileformat
from engine.sparse.convert import convert
from engine.sparse.model import sparsify
from engine.sparse.settings import SparsitySettings

QUERIES = ["a cat", "a rocket on the launch pad", "coins on a table"]


@pytest.fixture(scope="module")
def calib_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("calib")
    rng = np.random.default_rng(0)
    for i in range(6):
        pixels = rng.integers(0, 255, (48, 64, 3), dtype=np.uint8)
        Image.fromarray(pixels).resize((128, 96)).save(folder / f"p{i}.png")
    return folder


@pytest.fixture(scope="module", params=["demo", "demo-resnet"])
def converted(request, tmp_path_factory, calib_dir) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp("sparse") / f"{request.param}.sparse"
    spec = parse_source(request.param, "random")
    convert(spec, out, "dynamic", calibration_for(spec, calib_dir))
    return request.param, out


def _images() -> list[Image.Image]:
    rng = np.random.default_rng(1)
    return [Image.fromarray(rng.integers(0, 255, (80, 100, 3), dtype=np.uint8)) for _ in range(3)]


def test_round_trip_matches_in_memory_sparse_model(converted):
    name, path = converted
    spec = parse_source(name, "random")
    settings = SparsitySettings.from_dict(fileformat.read(path)["settings"])
    in_memory = sparsify(load_clip(spec), settings)
    loaded = ClipEncoder(str(path))
    reference = ClipEncoder(spec=spec)
    reference._model = in_memory
    assert loaded.model_id == reference.model_id == spec.model_id
    assert loaded.spec.name != spec.name
    np.testing.assert_allclose(
        loaded.encode_images(_images()), reference.encode_images(_images()), atol=1e-5
    )
    np.testing.assert_allclose(
        loaded.encode_texts(QUERIES), reference.encode_texts(QUERIES), atol=1e-5
    )
    dense = ClipEncoder(spec=spec)
    cos = np.sum(dense.encode_texts(QUERIES) * loaded.encode_texts(QUERIES), axis=1)
    assert cos.min() > 0.99


def test_text_only_load_has_no_image_tower(converted):
    _, path = converted
    encoder = ClipEncoder(str(path), towers=("text",))
    assert encoder.encode_texts(["a dog"]).shape == (1, encoder.dim)
    assert encoder.model.visual is None


def test_convert_and_info_cli(tmp_path, calib_dir):
    out = tmp_path / "d.sparse"
    proc = run_cli(
        "model", "convert", "--input", "demo:random", "--output", str(out),
        "--sparsity", "static",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "static" in proc.stdout and out.is_file()
    info = run_json("model", "info", str(out))
    assert info["settings"]["mode"] == "static"
    assert info["source_model_id"] == parse_source("demo", "random").model_id
    assert info["size_bytes"] == out.stat().st_size
    assert 0.0 < info["effect"]["pruned_weight_share"] < 1.0
    proc = run_cli("model", "info", str(out))
    assert proc.returncode == 0 and "pruned_weight_share" in proc.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["model", "info", "{tmp}/missing.sparse"],
        ["model", "info", "{tmp}/notes.sparse"],
        ["model", "convert", "--input", "NoSuchArch:random", "--output", "{tmp}/x.sparse"],
        ["model", "convert", "--input", "ViT-B-32:{tmp}/none.pt", "--output", "{tmp}/x.sparse"],
        ["model", "convert", "--input", "demo:random", "--output", "{tmp}/x.bin"],
        ["search", "a dog", "--model", "{tmp}/notes.sparse"],
    ],
)
def test_bad_input_is_one_line_exit_1(tmp_path, args):
    (tmp_path / "notes.sparse").write_text("not a model")
    proc = run_cli(*[a.format(tmp=tmp_path) for a in args], library=tmp_path / "L")
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("photosearch: error:"), proc.stderr


def test_parse_source_rejects_garbage(tmp_path):
    junk = tmp_path / "junk.sparse"
    junk.write_bytes(b"\x00" * 100)
    with pytest.raises(ModelError, match="not a photosearch .sparse"):
        parse_source(str(junk))


def test_library_indexed_dense_is_searchable_sparse_and_back(tmp_path, photos_dir, calib_dir):
    model = tmp_path / "d.sparse"
    spec = parse_source("demo", "random")
    convert(spec, model, "dynamic", calibration_for(spec, calib_dir))
    dense_lib, sparse_lib = tmp_path / "dense", tmp_path / "sparse"
    dense = ["--model", "demo", "--weights", "random"]
    for library, opts in ((dense_lib, dense), (sparse_lib, ["--model", str(model)])):
        proc = run_cli("index", str(photos_dir), *opts, library=library)
        assert proc.returncode == 0, proc.stderr
    query = ["search", "a cat", "-k", "5"]
    for library, opts in ((dense_lib, ["--model", str(model)]), (sparse_lib, dense)):
        results = run_json(*query, *opts, library=library)
        assert len(results) == 5
    same = run_json(*query, *dense, library=dense_lib)
    cross = run_json(*query, "--model", str(model), library=dense_lib)
    assert len({json.dumps(r, sort_keys=True) for r in same}) == 5
    assert {r["path"] for r in same} & {r["path"] for r in cross}


def test_convert_takes_weights_like_every_command(tmp_path):
    # --weights names the weights of --input as it does for --model (it used to be ignored,
    # and the default tag was fetched from the network instead)
    out = tmp_path / "vit.sparse"
    proc = run_cli(
        "model", "convert", "--input", "ViT-B-32", "--weights", "random", "--output", str(out),
        "--json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["source_model_id"] == "ViT-B-32:random-seed0"

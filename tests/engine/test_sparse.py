"""Sparse encoders: exactness of the exact parts, closeness of the approximate ones."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

from app.calibration import calibration_for
from engine.demo.calibration import training_scenes
from engine.encoder import ClipEncoder
from engine.errors import ModelError
from engine.models import load_clip
from engine.registry import parse_source
from engine.sparse import resnet
from engine.sparse.calibrate import Targets, calibrate, text_drift, top_k_overlap
from engine.sparse.gating import gate
from engine.sparse.model import sparsify
from engine.sparse.settings import SparsitySettings
from engine.sparse.static import decode, encode, magnitude_prune

FP32 = {"int8_linear": False, "fp16_embedding": False, "bf16_resnet": False}
QUERIES = ["a dog", "two red circles on a striped background", "the moon at night over a lake"]


@pytest.fixture(scope="module")
def demo_vit() -> torch.nn.Module:
    return load_clip(parse_source("demo", "random"))


@pytest.fixture(scope="module")
def demo_resnet() -> torch.nn.Module:
    return load_clip(parse_source("demo-resnet", "random"))


def _images(n: int, seed: int, size: int = 64) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    smooth = torch.nn.functional.interpolate(torch.randn(n, 3, 8, 8, generator=g), size=size)
    return smooth + 0.3 * torch.randn(n, 3, size, size, generator=g)


def _cos(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.cosine_similarity(a.float(), b.float(), dim=-1)


@torch.inference_mode()
def test_text_int8_stays_close(demo_vit):
    tokens = parse_source("demo", "random").tokenizer()(QUERIES)
    sparse = sparsify(copy.deepcopy(demo_vit), SparsitySettings())
    assert _cos(sparse.encode_text(tokens), demo_vit.encode_text(tokens)).min() > 0.99


@torch.inference_mode()
def test_vit_keep_ratio_one_is_dense(demo_vit):
    images = _images(4, seed=1)
    sparse = sparsify(copy.deepcopy(demo_vit), SparsitySettings(vit_keep_ratio=1.0, **FP32))
    assert torch.allclose(sparse.encode_image(images), demo_vit.encode_image(images), atol=1e-5)


@torch.inference_mode()
def test_vit_pruning_changes_output_but_calibrated_ratio_stays_close(demo_vit):
    held_out = _images(8, seed=3)
    sparse = sparsify(copy.deepcopy(demo_vit), SparsitySettings(**FP32))
    sparse.settings.vit_keep_ratio = 0.3
    assert _cos(sparse.encode_image(held_out), demo_vit.encode_image(held_out)).min() < 0.99999
    # Random weights leave neighbours near-tied, so the overlap target is loosened; at the
    # default one nothing prunes and the closeness below would hold trivially (keep 1.0).
    targets = Targets(min_cosine=0.98, min_overlap=0.8)
    result = calibrate(demo_vit, sparse, list(_images(16, seed=2)), targets)
    assert result.updates["vit_keep_ratio"] < 1.0
    sparse.settings.vit_keep_ratio = result.updates["vit_keep_ratio"]
    cos = _cos(sparse.encode_image(held_out), demo_vit.encode_image(held_out))
    assert float(cos.mean()) >= 0.97


@torch.inference_mode()
def test_resnet_fast_path_and_adaptive_resolution(demo_resnet):
    images = _images(4, seed=4)
    dense = demo_resnet.encode_image(images)
    fp32 = sparsify(copy.deepcopy(demo_resnet), SparsitySettings(**FP32))
    assert torch.allclose(fp32.encode_image(images), dense, atol=1e-4)  # fused BN: same maths
    bf16 = sparsify(copy.deepcopy(demo_resnet), SparsitySettings())
    assert _cos(bf16.encode_image(images), dense).min() > 0.99
    bf16.settings.resnet_low_size = 32
    bf16.settings.resnet_detail_threshold = float(resnet.detail_score(images).median())
    mixed = bf16.encode_image(images)
    low = resnet.detail_score(images) < bf16.settings.resnet_detail_threshold
    assert 0 < int(low.sum()) < len(images)
    full = resnet.forward(bf16.visual, images)
    assert torch.allclose(mixed[~low], full[~low], atol=1e-3)
    assert not torch.allclose(mixed[low], full[low], atol=1e-3)


def test_gate_zeroes_small_activations():
    a = torch.tensor([[-0.5, 0.01, -0.02, 2.0]])
    assert gate(a, 0.05).tolist() == [[-0.5, 0.0, 0.0, 2.0]]
    assert gate(a, 0.0) is a


def test_magnitude_pruning_and_csr_round_trip():
    layer = torch.nn.Linear(64, 32)
    with torch.no_grad():
        layer.weight.mul_(torch.rand(32, 64) < 0.1)  # ~90% zeros: CSR is smaller
        layer.weight[0, 0] = 5e-4
    share = magnitude_prune(layer, 1e-3)
    assert layer.weight[0, 0] == 0 and share > 0.85
    stored = encode(layer.weight.detach())
    assert isinstance(stored, dict) and stored["kind"] == "csr"
    assert torch.equal(decode(stored), layer.weight.detach())
    dense = torch.randn(8, 8)
    assert encode(dense) is dense  # CSR would be larger


def test_top_k_overlap():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(20, 8)).astype(np.float32)
    assert top_k_overlap(vectors, vectors, 10) == 1.0
    assert top_k_overlap(vectors, rng.normal(size=(20, 8)).astype(np.float32), 10) < 0.9


def test_settings_validation():
    with pytest.raises(ValueError):
        SparsitySettings(mode="fast")
    restored = SparsitySettings.from_dict({**SparsitySettings().to_dict(), "unknown": 1})
    assert restored == SparsitySettings()


@torch.inference_mode()
def test_resnet_calibration_sends_only_low_detail_photos_to_low_resolution(demo_resnet):
    g = torch.Generator().manual_seed(6)
    flat = torch.randn(12, 3, 2, 2, generator=g)
    smooth = torch.nn.functional.interpolate(flat, size=64, mode="bilinear")
    detailed = _images(12, seed=5)
    sparse = sparsify(copy.deepcopy(demo_resnet), SparsitySettings(**FP32))  # exact otherwise
    targets = Targets(min_cosine=0.9, min_overlap=0.9)
    result = calibrate(demo_resnet, sparse, [*smooth, *detailed], targets)
    assert result.effect["low_resolution_share"] > 0  # some photos are encoded cheaper
    assert result.updates["resnet_detail_threshold"] <= float(resnet.detail_score(detailed).min())
    assert result.effect["top10_overlap"] >= targets.min_overlap


@torch.inference_mode()
def test_text_queries_keep_the_vit_from_pruning_what_text_search_needs():
    spec = parse_source("demo")
    trained = load_clip(spec)
    images, texts = _prepared(spec, 32)
    tokenizer = spec.tokenizer()
    sparse = sparsify(copy.deepcopy(trained), SparsitySettings())
    image_only = calibrate(trained, sparse, images)
    with_text = calibrate(trained, sparse, images, query_tokens=tokenizer(texts))
    assert with_text.effect["calibration_queries"] == 32
    assert with_text.effect["text_drift"] <= Targets().max_text_drift
    chosen = with_text.updates["vit_keep_ratio"]
    assert chosen > image_only.updates["vit_keep_ratio"]

    # on other scenes, the text-aware ratio moves text scores less than the image-only one
    other_images, other_texts = _prepared(spec, 24)
    other = torch.stack(other_images)
    other_queries = trained.encode_text(tokenizer(other_texts)).float()
    other_queries = torch.nn.functional.normalize(other_queries, dim=-1).numpy()
    dense = trained.encode_image(other).float()
    dense = torch.nn.functional.normalize(dense, dim=-1).numpy()
    drift = {}
    for name, ratio in (("text", chosen), ("image", image_only.updates["vit_keep_ratio"])):
        sparse.settings.vit_keep_ratio = ratio
        vectors = torch.nn.functional.normalize(sparse.encode_image(other).float(), dim=-1)
        drift[name] = text_drift(other_queries, dense, vectors.numpy())
    assert drift["text"] < drift["image"]


def _prepared(spec, count: int) -> tuple[list[torch.Tensor], list[str]]:
    scenes = training_scenes(count)
    encoder = ClipEncoder(spec=spec)
    return [encoder.prepare(image) for image in scenes.images], scenes.texts


def test_calibration_folder_captions_become_text_queries(tmp_path):
    from engine.demo.scenes.folder import write_demo_folder

    rows = write_demo_folder(tmp_path / "photos", 5)
    (tmp_path / "photos" / "notes.txt").write_text("not a photo")
    spec = parse_source("demo", "random")
    calibration = calibration_for(spec, tmp_path / "photos", photos=10)
    assert len(calibration.images) == 5
    assert sorted(calibration.texts) == sorted(caption for _, caption in rows)

    (tmp_path / "photos" / "captions.csv").write_text("name,text\na.png,a red circle\n")
    with pytest.raises(ModelError, match="file,caption"):
        calibration_for(spec, tmp_path / "photos", photos=10)

"""Where the encoder runs: --device auto|cpu|cuda|mps, fp16 checked against fp32."""

from __future__ import annotations

import os

import numpy as np
import pytest
import torch
from cli_support import SHARED_PHOTOS, run_cli, run_json

from engine import device as devices
from engine.encoder import ClipEncoder
from engine.images import load_image
from engine.registry import parse_source

NO_GPU = not (devices.available("cuda") or devices.available("mps"))


@pytest.mark.skipif(not NO_GPU, reason="a GPU is present: auto picks it")
def test_auto_is_the_cpu_where_there_is_no_gpu():
    encoder = ClipEncoder("demo")
    cpu = ("cpu", torch.float32, devices.BATCH_SIZES["cpu"])
    assert (encoder.device.type, encoder.dtype, encoder.batch_size) == cpu


@pytest.mark.skipif(devices.available("cuda"), reason="CUDA is present here")
def test_cuda_where_there_is_none_is_a_one_line_error_that_creates_nothing(tmp_path):
    library = tmp_path / "lib"
    proc = run_cli("index", str(SHARED_PHOTOS), "--device", "cuda", library=library)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "photosearch: error: --device cuda: no CUDA device is available here"
        " (use --device auto or cpu)"
    ]
    status = run_json("status", library=library)
    assert (status["photos"], status["folders"]) == (0, [])


def test_an_unknown_device_in_the_environment_is_named_in_one_line(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    proc = run_cli(
        "index", str(photos), library=tmp_path / "lib", env={"PHOTOSEARCH_DEVICE": "tpu"}
    )
    assert proc.returncode == 1
    assert "unknown device 'tpu'; choose one of auto, cpu, cuda, mps" in proc.stderr


def test_sparse_files_fall_back_to_the_cpu_with_a_notice(caplog):
    assert devices.for_sparse_file(torch.device("cuda")) == torch.device("cpu")
    assert caplog.messages == ["note: .sparse models run on the CPU only; using cpu, not cuda"]


def _demo_model():
    encoder = ClipEncoder("demo", device="cpu")
    return encoder, encoder.model, encoder.tokenizer(["a photo"])


def test_fp16_vectors_of_the_demo_model_match_fp32():
    encoder, model, tokens = _demo_model()
    cpu = torch.device("cpu")
    assert devices.half_matches_fp32(model, cpu, encoder.towers, encoder.image_size, tokens)
    assert next(model.parameters()).dtype == torch.float32  # the check leaves fp32 behind


def test_fp16_that_overflows_is_refused():
    encoder, model, tokens = _demo_model()
    with torch.no_grad():
        for p in model.visual.parameters():
            p.mul_(1e3)  # activations beyond fp16's range (65504)
    cpu = torch.device("cpu")
    assert not devices.half_matches_fp32(model, cpu, encoder.towers, encoder.image_size, tokens)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("model, weights", [("demo", None), ("ViT-B-32", "random")])
def test_cuda_vectors_match_the_cpus(model, weights):
    images = [load_image(p) for p in sorted(SHARED_PHOTOS.glob("*.[jp][pn]g"))]
    spec = parse_source(model, weights)
    on_gpu = ClipEncoder(spec=spec, device="cuda")
    gpu_vectors = on_gpu.encode_images(images)
    cpu_vectors = ClipEncoder(spec=spec, device="cpu").encode_images(images)
    assert on_gpu.dtype == torch.float16 and on_gpu.batch_size > devices.BATCH_SIZES["cpu"]
    assert np.min(np.sum(gpu_vectors * cpu_vectors, axis=1)) >= devices.MIN_HALF_COSINE


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("model, weights", [("demo", None), ("ViT-B-32", "random")])
def test_a_text_query_on_cuda_matches_the_cpus(model, weights):
    spec = parse_source(model, weights)
    queries = ["a red circle", "two blue squares", "a photo"]
    gpu = ClipEncoder(spec=spec, device="cuda").encode_texts(queries)
    cpu = ClipEncoder(spec=spec, device="cpu").encode_texts(queries)
    assert np.min(np.sum(gpu * cpu, axis=1)) >= devices.MIN_HALF_COSINE


def test_with_a_gpu_decoding_gets_the_cores_the_encoder_leaves_free(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    workers = (devices.decode_workers(torch.device(kind)) for kind in ("cpu", "cuda", "mps"))
    assert tuple(workers) == (4, 16, 16)

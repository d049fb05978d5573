"""Exact text truncation: every text encode runs only up to the longest real token sequence
in the batch, and equals the full-length encode."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

from engine.dense import build
from engine.encoder import ClipEncoder
from engine.models import load_clip
from engine.registry import DEMO_MODELS, parse_source
from engine.sparse.model import sparsify
from engine.sparse.settings import SparsitySettings
from engine.text_truncation import encode_text, needed_length

QUERIES = ["a dog", "two red circles on a striped background", "the moon at night over a lake"]
FP32 = {"int8_linear": False, "fp16_embedding": False, "bf16_resnet": False}


def _weights(name: str) -> str:
    if name in DEMO_MODELS and DEMO_MODELS[name].weights.is_file():
        return str(DEMO_MODELS[name].weights)  # the shipped, trained weights
    return "random"


@pytest.mark.parametrize("name", ["ViT-B-32", "RN50", "demo", "demo-resnet"])
@torch.inference_mode()
def test_truncated_text_encode_equals_the_full_length_one(name):
    spec = parse_source(name, _weights(name))
    model = load_clip(spec, towers=("text",))
    tokens = spec.tokenizer()(QUERIES)
    assert needed_length(tokens, "argmax", None) < tokens.shape[1] // 2
    difference = (encode_text(model, tokens) - model.encode_text(tokens)).abs().max()
    assert float(difference) <= 1e-5


@torch.inference_mode()
def test_a_custom_text_tower_is_truncated_exactly_too():
    # CustomTextCLIP keeps its causal text tower in a TextTransformer
    config = dict(parse_source("demo", "random").config, custom_text=True)
    torch.manual_seed(0)
    model = build(config).eval()
    tokens = parse_source("demo", "random").tokenizer()(QUERIES)
    difference = (encode_text(model, tokens) - model.encode_text(tokens)).abs().max()
    assert float(difference) <= 1e-5


@torch.inference_mode()
def test_sparse_model_text_equals_the_dense_full_length_encode():
    spec = parse_source("demo", "random")
    dense = load_clip(spec)
    tokens = spec.tokenizer()(QUERIES)
    sparse = sparsify(copy.deepcopy(dense), SparsitySettings(**FP32))  # fp32: exact parts only
    difference = (sparse.encode_text(tokens) - dense.encode_text(tokens)).abs().max()
    assert float(difference) <= 1e-5


def test_the_encoder_text_vectors_are_the_full_length_ones():
    # fp32: the default fp16 query weights are checked against fp32 in test_query_precision
    encoder = ClipEncoder("ViT-B-32", "random", towers=("text",), query_precision="fp32")
    with torch.inference_mode():
        full = encoder.model.encode_text(encoder.tokenizer(QUERIES), normalize=True).numpy()
    np.testing.assert_allclose(encoder.encode_texts(QUERIES), full, atol=1e-5)

"""Text queries on int8 weights (opt-in): close to fp32; fp32 (the default) stays exact."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from cli_support import SHARED_PHOTOS

from engine.encoder import ClipEncoder
from engine.images import load_image
from engine.sparse.quant import Int8WeightLinear, int8_weight_matmul_is_fast

QUERIES = ["a red car", "two children playing in the snow", "a dog on the beach at sunset"]
needs_int8_kernel = pytest.mark.skipif(
    not int8_weight_matmul_is_fast(), reason="no fast int8-weight matmul on this CPU"
)


def _encoder(precision: str, towers: tuple[str, ...] = ("text",)) -> ClipEncoder:
    return ClipEncoder("demo", "random", towers=towers, device="cpu", query_precision=precision)


def test_default_text_queries_equal_the_full_length_fp32_encode():
    encoder = _encoder("fp32")
    assert ClipEncoder("demo", "random").query_precision == "fp32"
    tokens = encoder.tokenizer(QUERIES)
    with torch.inference_mode():
        full = torch.nn.functional.normalize(encoder.model.encode_text(tokens), dim=-1)
    assert np.abs(encoder.encode_texts(QUERIES) - full.numpy()).max() <= 1e-5


@needs_int8_kernel
def test_int8_query_vectors_stay_within_the_cosine_bound():
    encoder = _encoder("int8")
    int8 = encoder.encode_texts(QUERIES)
    fp32 = _encoder("fp32").encode_texts(QUERIES)
    linears = [m for m in encoder.model.modules() if isinstance(m, Int8WeightLinear)]
    assert len(linears) == 4 * 3  # qkv, out, c_fc, c_proj in each of the 3 blocks
    assert np.sum(int8 * fp32, axis=1).min() >= 0.999


@needs_int8_kernel
def test_int8_queries_leave_image_vectors_unchanged():
    images = [load_image(SHARED_PHOTOS / n) for n in ("skimage_coffee.png", "skimage_rocket.jpg")]
    both = ("image", "text")
    int8 = _encoder("int8", both).encode_images(images)
    np.testing.assert_array_equal(int8, _encoder("fp32", both).encode_images(images))


def test_unknown_precision_is_refused_in_one_line():
    with pytest.raises(ValueError, match="query precision must be one of int8, fp32"):
        _encoder("int4")

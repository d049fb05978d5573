"""Multilingual models (hub text towers and tokenizers) load through the registry from the
model hub's cache, offline, with files this test writes: tiny tokenizers trained here, tiny
configs of the real families, checkpoints at the pretrained tags' hub locations."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hub_cache_support import MULTILINGUAL as MODELS
from hub_cache_support import use_cache

from engine.encoder import ClipEncoder
from engine.errors import ModelError
from engine.query_language import QUERY_LANGUAGE_ENV
from engine.registry import parse_source
from engine.text_truncation import encode_text

QUERIES = ["海边的狗", "a dog on the beach", "生日蛋糕上的蜡烛"]


@pytest.fixture
def offline_cache(multilingual_hub, monkeypatch):
    use_cache(monkeypatch, multilingual_hub[0])
    return multilingual_hub


def _expected(model: torch.nn.Module, arch: str, texts: list[str]) -> np.ndarray:
    tokens = parse_source(arch).tokenizer()(texts)
    with torch.inference_mode():
        vectors = model.encode_text(tokens).numpy()
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize("arch", list(MODELS))
def test_a_multilingual_model_loads_its_pretrained_tag_from_the_hub_cache(arch, offline_cache):
    _, saved = offline_cache
    encoder = ClipEncoder(arch, towers=("text",))  # the default tag, as a user names it
    assert encoder.spec.weights == MODELS[arch]
    vectors = encoder.encode_texts(QUERIES)
    np.testing.assert_allclose(vectors, _expected(saved[arch], arch, QUERIES), atol=1e-5)


@pytest.mark.parametrize("arch", list(MODELS))
def test_missing_hub_text_files_fail_at_once_offline_naming_the_model(arch, tmp_path, monkeypatch):
    use_cache(monkeypatch, tmp_path / "empty")
    with pytest.raises(ModelError) as err:
        parse_source(arch, "random").tokenizer()
    message = str(err.value)
    assert arch in message and "not downloaded" in message and "HF_HUB_OFFLINE" in message
    with pytest.raises(ModelError, match="not downloaded"):
        ClipEncoder(arch, "random", towers=("text",)).load()


def test_nllb_queries_carry_the_language_of_their_script(offline_cache, monkeypatch):
    tokenizer = parse_source("nllb-clip-base-siglip").tokenizer()
    vocab = tokenizer.tokenizer.tokenizer
    codes = vocab.convert_tokens_to_ids(["zho_Hans", "eng_Latn", "jpn_Jpan"])
    tokens = tokenizer(["海边的狗", "a dog on the beach", "浜辺の犬"])
    assert tokens[:, 0].tolist() == codes
    monkeypatch.setenv(QUERY_LANGUAGE_ENV, "zho_Hant")
    assert tokenizer(["a dog"])[0, 0] == vocab.convert_tokens_to_ids("zho_Hant")


def test_an_unknown_query_language_override_is_one_clear_line(offline_cache, monkeypatch):
    monkeypatch.setenv(QUERY_LANGUAGE_ENV, "chinese")
    encoder = ClipEncoder("nllb-clip-base-siglip", towers=("text",))
    with pytest.raises(ModelError, match="'chinese' is not a language code"):
        encoder.encode_texts(["海边的狗"])


def test_both_towers_of_a_multilingual_model_share_one_space(offline_cache):
    from PIL import Image

    encoder = ClipEncoder("nllb-clip-base-siglip")
    image = encoder.encode_images([Image.new("RGB", (500, 400), "red")])
    text = encoder.encode_texts(["红色"])
    assert image.shape == text.shape == (1, parse_source("nllb-clip-base-siglip").embed_dim)


@pytest.mark.parametrize("arch", list(MODELS))
@torch.inference_mode()
def test_hub_text_towers_are_never_truncated(arch, offline_cache):
    # their attention is not causal (XLM-RoBERTa, NLLB's encoder): the encode runs every position
    model = offline_cache[1][arch]
    tokens = parse_source(arch).tokenizer()(QUERIES)
    seen: list[int] = []
    hook = model.text.transformer.register_forward_pre_hook(
        lambda module, args, kwargs: seen.append(kwargs["input_ids"].shape[1]), with_kwargs=True
    )
    try:
        vectors = encode_text(model, tokens)
    finally:
        hook.remove()
    assert seen == [tokens.shape[1]]
    torch.testing.assert_close(vectors, model.encode_text(tokens))

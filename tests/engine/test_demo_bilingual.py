"""Teaching the demo text tower Chinese: reproducible runs, English kept, padding-free encoding."""

from __future__ import annotations

import pytest
import torch

from engine.demo.configs import DEMO_MODELS, get_tokenizer
from engine.demo.scenes.chinese_phrases import to_chinese
from engine.demo.training.bilingual import load_padded, train_bilingual
from engine.demo.training.text_encoding import encode_texts

SOURCE = DEMO_MODELS["resnet"].weights
pytestmark = pytest.mark.skipif(not SOURCE.is_file(), reason="demo ResNet not shipped")
TEXTS = [
    "a red circle",
    "two small blue squares on a striped background",
    to_chinese("a large purple cross below a small orange star on a checkered background"),
]


def _encode(model, texts: list[str]) -> torch.Tensor:
    with torch.no_grad():
        return model.encode_text(get_tokenizer(DEMO_MODELS["resnet"][0])(texts), normalize=True)


def test_encoding_without_the_padding_gives_the_full_context_embeddings():
    model = load_padded("resnet", SOURCE).eval()
    tokens = get_tokenizer(DEMO_MODELS["resnet"][0])(TEXTS * 30)
    with torch.no_grad():
        trimmed = encode_texts(model, tokens)
    torch.testing.assert_close(trimmed, _encode(model, TEXTS * 30), rtol=0, atol=1e-5)


def test_a_checkpoint_with_the_english_context_loads_with_its_english_intact(tmp_path):
    state = torch.load(SOURCE, weights_only=True)
    state["positional_embedding"] = state["positional_embedding"][:32]  # as the English models
    torch.save(state, tmp_path / "english.pt")
    english = TEXTS[:2]  # under 32 tokens
    assert torch.equal(
        _encode(load_padded("resnet", tmp_path / "english.pt"), english),
        _encode(load_padded("resnet", SOURCE), english),
    )


def test_a_short_run_is_reproducible_and_changes_only_the_text_tower():
    first = train_bilingual(SOURCE, steps=2, threads=1)
    second = train_bilingual(SOURCE, steps=2, threads=1)
    other_seed = train_bilingual(SOURCE, steps=2, seed=1, threads=1)
    torch.use_deterministic_algorithms(False)
    assert first.keys() == second.keys()
    assert not any(k.startswith("visual.") for k in first)
    assert all(torch.equal(first[k], second[k]) for k in first)
    assert not torch.equal(first["token_embedding.weight"], other_seed["token_embedding.weight"])

"""The model registry: one parse for every way of naming a model, specs that know their
sizes and tokenizer before anything is loaded, one list of what is available."""

from __future__ import annotations

import pytest
from cli_support import run_cli

from engine.errors import ModelError
from engine.registry import available_models, parse_source


def test_weights_inline_or_as_option_name_the_same_model():
    assert parse_source("ViT-B-32:random") == parse_source("ViT-B-32", "random")
    assert parse_source("demo:random").model_id == parse_source("demo", "random").model_id


def test_two_different_weights_are_refused():
    with pytest.raises(ModelError, match="two weights"):
        parse_source("ViT-B-32:random", "laion2b_s34b_b79k")


def test_a_spec_knows_its_sizes_and_tokenizer_without_loading():
    spec = parse_source("demo", "random")
    assert (spec.embed_dim, spec.image_size) == (128, 64)
    assert spec.tokenizer()(["a red circle"]).shape == (1, 32)  # the demo config's context
    assert parse_source("RN50", "random").embed_dim == 1024


def test_open_clip_sources_not_supported_yet_say_so():
    with pytest.raises(ModelError, match="not supported"):
        parse_source("local-dir:/some/folder")


def test_help_lists_every_available_model():
    proc = run_cli("--help")
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    for choice in available_models():
        assert choice.name in text

"""A model hub cache that a test writes itself (bench/hub_files.py: tiny tokenizers trained
there, tiny configs of the real families) plus checkpoints of the models they make at the
pretrained tags' hub locations, so the product's own hub loading code runs offline."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import open_clip
import pytest
import torch

from bench.hub_files import put_in_hub_cache, write_text_files
from engine.dense import create
from engine.query_language import QUERY_LANGUAGE_ENV
from engine.registry import parse_source

# the multilingual models and the pretrained tag each is written under
MULTILINGUAL = {"xlm-roberta-base-ViT-B-32": "laion5b_s13b_b90k", "nllb-clip-base-siglip": "v1"}


def use_cache(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    """This process reads the model hub from ``cache`` only (offline)."""
    import huggingface_hub.constants as hub_constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setattr(hub_constants, "HF_HUB_CACHE", str(cache))
    monkeypatch.delenv(QUERY_LANGUAGE_ENV, raising=False)


def write_hub_cache(root: Path) -> tuple[Path, dict[str, torch.nn.Module]]:
    """Both families in a hub cache under ``root``; the models their checkpoints hold."""
    cache = root / "cache"
    with pytest.MonkeyPatch.context() as patch:
        use_cache(patch, cache)
        saved = {arch: write_model(cache, arch, tag, root) for arch, tag in MULTILINGUAL.items()}
    return cache, saved


def write_model(cache: Path, arch: str, tag: str, work: Path) -> torch.nn.Module:
    """Put ``arch``'s text files and a ``tag`` checkpoint into the hub cache; returns the model
    the checkpoint was saved from. Its image tower is saved as zero-strided tensors of the
    right shapes (a few bytes): these tests are about the text side."""
    write_text_files(cache, arch, work, tiny=True)
    torch.manual_seed(1)
    model = create(parse_source(arch, "random"), meta_towers=("image",)).eval()
    state = {
        key: torch.zeros(1, dtype=value.dtype).expand(value.shape) if value.is_meta else value
        for key, value in model.state_dict().items()
    }
    weights_repo, filename = os.path.split(open_clip.get_pretrained_cfg(arch, tag)["hf_hub"])
    checkpoint = work / "weights"
    checkpoint.mkdir(exist_ok=True)
    torch.save(state, checkpoint / (filename or "open_clip_pytorch_model.bin"))
    put_in_hub_cache(cache, weights_repo, checkpoint)
    shutil.rmtree(checkpoint)
    return model

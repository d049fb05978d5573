"""A model hub cache that a test writes itself (bench/hub_files.py: tiny tokenizers trained
there, tiny configs of the real families) plus checkpoints of the models they make at the
pretrained tags' hub locations, so the product's own hub loading code runs offline."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import open_clip
import torch

from bench.hub_files import put_in_hub_cache, write_text_files
from engine.dense import create
from engine.registry import parse_source


def write_model(cache: Path, arch: str, tag: str, work: Path) -> torch.nn.Module:
    """Put ``arch``'s text files and a ``tag`` checkpoint into the hub cache; returns the model
    the checkpoint was saved from. Its image tower is saved as zero-strided tensors of the
    right shapes (a few bytes): these tests are about the text side."""
    write_text_files(cache, arch, work, tiny=True)
    torch.manual_seed(1)
    model = create(parse_source(arch, "random"), image_on_meta=True).eval()
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

"""Load the model a :class:`ModelSpec` describes: open_clip built from the spec's config, or
a ``.sparse`` file. Which sources exist and how they are named is :mod:`engine.registry`'s
business; this module only loads."""

from __future__ import annotations

from pathlib import Path

import torch

from engine.dense import load_dense
from engine.sparse import fileformat
from engine.spec import ModelSpec
from engine.towers import TOWERS


def load_clip(spec: ModelSpec, towers: tuple[str, ...] = TOWERS) -> torch.nn.Module:
    """The model with its weights, in eval mode, keeping only ``towers``."""
    if spec.is_sparse:
        return fileformat.load(Path(spec.weights), towers)
    return load_dense(spec, towers)

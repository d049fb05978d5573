"""The demo models as the training script names them (``--model vit|resnet``), and
open_clip's ``create_model``/``get_tokenizer`` for their configs (no registration needed).

The table itself lives in :mod:`engine.registry` (one place for config names and weights).
"""

from __future__ import annotations

import open_clip
import torch

from engine import dense
from engine.registry import DEMO_MODELS as _BY_ALIAS
from engine.registry import DemoModel, parse_source
from engine.spec import RANDOM, ModelSpec

_ALIASES = {"vit": "demo", "resnet": "demo-resnet"}
# --model value of engine.demo.train -> (open_clip config name, shipped weights file, ...)
DEMO_MODELS: dict[str, DemoModel] = {kind: _BY_ALIAS[alias] for kind, alias in _ALIASES.items()}


def demo_spec(arch: str, weights: str | None = None) -> ModelSpec:
    """The spec of the demo model whose config is ``arch`` (random weights by default)."""
    alias = next(a for a, demo in _BY_ALIAS.items() if demo.arch == arch)
    return parse_source(alias, weights or RANDOM)


def create_model(arch: str, pretrained: str | None = None) -> torch.nn.Module:
    """A demo model initialised from torch's current random state (as open_clip's
    ``create_model`` does, so training runs stay reproducible), then loaded from
    ``pretrained`` if given."""
    model = dense.create(demo_spec(arch))
    if pretrained is not None:
        open_clip.load_checkpoint(model, pretrained)
    return model


def get_tokenizer(arch: str):
    return demo_spec(arch).tokenizer()

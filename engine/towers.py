"""The two towers of a CLIP model, and freeing the one a caller does not need."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

TOWERS = ("image", "text")


def keep_towers(model: torch.nn.Module, towers: tuple[str, ...]) -> None:
    """Free the tower(s) a caller does not need (a text query needs no image tower)."""
    import torch

    if "image" not in towers:
        model.visual = None
    if "text" not in towers:
        for attr in ("transformer", "token_embedding", "ln_final", "text"):
            if hasattr(model, attr):
                setattr(model, attr, None)
        if isinstance(getattr(model, "positional_embedding", None), torch.nn.Parameter):
            model.positional_embedding = None
        if isinstance(getattr(model, "text_projection", None), torch.nn.Parameter):
            model.text_projection = None
        if getattr(model, "attn_mask", None) is not None:  # the text tower's causal mask
            model.attn_mask = None
    gc.collect()

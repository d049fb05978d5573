"""Text tower that computes only up to the longest real token sequence in the batch.

Under the causal mask a token never sees the tokens after it, and CLIP pools the
end-of-text token, so the padding after the longest sequence cannot change the output:
truncating there is exact, and a 6-word query runs ~10 of 77 positions.
"""

from __future__ import annotations

import torch
from open_clip.transformer import text_global_pool
from torch import nn


def real_length(text: torch.Tensor, pool_type: str, eos_id: int | None) -> int:
    """Positions needed so that pooling still sees every pooled token."""
    full = int(text.shape[1])
    if pool_type == "argmax":
        return min(full, int(text.argmax(dim=-1).max()) + 1)
    if pool_type == "eos" and eos_id is not None:
        hits = text == eos_id
        if bool(hits.any(dim=-1).all()):
            return min(full, int(hits.int().argmax(dim=-1).max()) + 1)
    return full


def encode_text(clip: nn.Module, text: torch.Tensor, truncate: bool = True) -> torch.Tensor:
    """``clip.encode_text`` for a model whose text blocks are :class:`FastBlock` s."""
    causal = getattr(clip, "attn_mask", None) is not None
    pool_type = clip.text_pool_type
    eos_id = getattr(clip, "text_eos_id", None)
    length = real_length(text, pool_type, eos_id) if truncate and causal else text.shape[1]
    tokens = text[:, :length]
    x = clip.token_embedding(tokens).float() + clip.positional_embedding[:length].float()
    for block in clip.transformer.resblocks:
        x, _ = block(x, causal=causal)
    x = clip.ln_final(x)
    x = text_global_pool(x, tokens, pool_type, eos_token_id=eos_id)
    projection = clip.text_projection
    if projection is not None:
        x = projection(x) if isinstance(projection, nn.Linear) else x @ projection
    return x

"""Exact text truncation: encode text only up to the longest real token sequence.

Under the causal mask a position never attends to the positions after it, and the pooled
token (the end-of-text token, ``argmax`` or ``eos`` pooling) lies within each sequence, so
the padding after the longest sequence in the batch cannot change the output: running the
model's own blocks on the first L positions (with the mask and positional embedding cut to
L) gives the full-length result. A 2-6 word query is about 10 of CLIP's 77 positions. This
is exact, not an approximation; text towers where it does not hold (no causal mask, other
pooling, a class token appended at the end) run at full length, and so do the hub text
towers of the multilingual models (XLM-RoBERTa, NLLB's encoder: bidirectional attention).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from open_clip.hf_model import HFTextEncoder
from open_clip.transformer import TextTransformer, text_global_pool
from torch import nn


@dataclass(frozen=True)
class _CausalTextTower:
    """The parts of an open_clip text tower (``CLIP`` keeps them on the model itself,
    ``CustomTextCLIP`` in a ``TextTransformer``)."""

    token_embedding: nn.Module
    positional_embedding: torch.Tensor
    transformer: nn.Module
    attn_mask: torch.Tensor
    ln_final: nn.Module
    pool_type: str
    eos_id: int | None
    text_projection: nn.Module | torch.Tensor | None


def encode_text(
    model: nn.Module, tokens: torch.Tensor, blocks: nn.Module | None = None
) -> torch.Tensor:
    """``model.encode_text(tokens)`` (unnormalised), computed on the first
    :func:`needed_length` positions when that is exact. ``blocks``: a transformer to run in
    place of the tower's own (its reduced-precision copy, :mod:`engine.query_precision`)."""
    tower = causal_tower(model)
    if tower is None:
        return model.encode_text(tokens)
    transformer = blocks if blocks is not None else tower.transformer
    length = needed_length(tokens, tower.pool_type, tower.eos_id)
    tokens = tokens[:, :length]
    cast_dtype = transformer.get_cast_dtype()
    x = tower.token_embedding(tokens).to(cast_dtype)
    x = x + tower.positional_embedding[:length].to(cast_dtype)
    mask = tower.attn_mask[:length, :length]
    positions = pooled_positions(tokens, tower.pool_type, tower.eos_id)
    if positions is not None and hasattr(transformer, "forward_pooled"):
        x = tower.ln_final(transformer.forward_pooled(x, mask, positions))
    else:
        x = tower.ln_final(transformer(x, attn_mask=mask))
        x = text_global_pool(x, tokens, tower.pool_type, eos_token_id=tower.eos_id)
    projection = tower.text_projection
    if projection is not None:
        x = projection(x) if isinstance(projection, nn.Module) else x @ projection
    return x


def needed_length(tokens: torch.Tensor, pool_type: str, eos_id: int | None) -> int:
    """Positions needed so that every sequence keeps its pooled token (all if unsure)."""
    full = int(tokens.shape[1])
    if pool_type == "argmax":  # the end-of-text token has the largest id
        return min(full, int(tokens.argmax(dim=-1).max()) + 1)
    if pool_type == "eos" and eos_id is not None:
        hits = tokens == eos_id
        if bool(hits.any(dim=-1).all()):
            return min(full, int(hits.int().argmax(dim=-1).max()) + 1)
    return full


def pooled_positions(
    tokens: torch.Tensor, pool_type: str, eos_id: int | None
) -> torch.Tensor | None:
    """Each sequence's pooled position, as ``text_global_pool`` picks it (None for other
    pooling)."""
    if pool_type == "argmax":
        return tokens.argmax(dim=-1)
    if pool_type == "eos" and eos_id is not None:
        return (tokens == eos_id).int().argmax(dim=-1)
    return None


def causal_tower(model: nn.Module) -> _CausalTextTower | None:
    """The parts of the model's text tower when it is causal (truncation is exact), else None."""
    model = getattr(model, "clip", model)  # a .sparse model wraps an open_clip CLIP
    text = getattr(model, "text", None)
    if isinstance(text, HFTextEncoder):
        return None
    if isinstance(text, TextTransformer):
        if text.cls_emb is not None or text.use_pad_mask or text.attn_mask is None:
            return None
        return _CausalTextTower(
            text.token_embedding,
            text.positional_embedding,
            text.transformer,
            text.attn_mask,
            text.ln_final,
            text.pool_type,
            text.eos_id,
            text.text_projection,
        )
    if getattr(model, "transformer", None) is None or getattr(model, "attn_mask", None) is None:
        return None
    return _CausalTextTower(
        model.token_embedding,
        model.positional_embedding,
        model.transformer,
        model.attn_mask,
        model.ln_final,
        model.text_pool_type,
        getattr(model, "text_eos_id", None),
        model.text_projection,
    )

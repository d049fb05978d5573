"""Text embeddings without the padding: Chinese statements take up to 71 tokens of the
77-token context, English ones about 12, and a text's embedding (read at its end-of-text
token under a causal mask) does not depend on the padding after it."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from open_clip.transformer import text_global_pool

CHUNK = 64  # texts encoded together, sorted by length


def _encode_trimmed(model: torch.nn.Module, tokens: torch.Tensor) -> torch.Tensor:
    """``model.encode_text(tokens, normalize=True)`` run on the shortest context that holds
    every text of ``tokens`` (open_clip's CLIP.encode_text, sliced to that length)."""
    length = int((tokens != 0).sum(1).max())
    tokens = tokens[:, :length]
    x = model.token_embedding(tokens) + model.positional_embedding[:length]
    x = model.transformer(x, attn_mask=model.attn_mask[:length, :length])
    x = model.ln_final(x)
    x = text_global_pool(x, tokens, model.text_pool_type)
    return F.normalize(x @ model.text_projection, dim=-1)


def encode_texts(model: torch.nn.Module, tokens: torch.Tensor) -> torch.Tensor:
    """Normalised embeddings of ``tokens`` (rows in their order), encoded in chunks of
    similar length so short English statements do not pay for long Chinese ones."""
    order = torch.argsort((tokens != 0).sum(1), stable=True)
    parts = [_encode_trimmed(model, tokens[i]) for i in order.split(CHUNK)]
    out = torch.empty(len(tokens), parts[0].shape[1], dtype=parts[0].dtype)
    out[order] = torch.cat(parts)
    return out

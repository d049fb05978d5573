"""Text embeddings in chunks of similar length: Chinese statements take up to 71 tokens of the
77-token context, English ones about 12, and ``engine.text_truncation`` runs each chunk only
up to its longest text (exact under the causal mask), so English does not pay for Chinese."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from engine.text_truncation import encode_text

CHUNK = 64  # texts encoded together, sorted by length


def encode_texts(model: torch.nn.Module, tokens: torch.Tensor) -> torch.Tensor:
    """Normalised embeddings of ``tokens``, rows in their order."""
    order = torch.argsort((tokens != 0).sum(1), stable=True)
    parts = [F.normalize(encode_text(model, tokens[i]), dim=-1) for i in order.split(CHUNK)]
    out = torch.empty(len(tokens), parts[0].shape[1], dtype=parts[0].dtype)
    out[order] = torch.cat(parts)
    return out

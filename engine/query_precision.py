"""How text queries are encoded on the CPU: in fp32 (the default) or with int8 weights.

A text query is one short sequence, so the text tower's time is reading its weights
(ViT-B-32: about 38 M fp32 weights per query). The int8 tower reuses the ``.sparse``
machinery, :class:`engine.sparse.blocks.FastBlock` (one qkv projection) with every matmul
weight in int8 (:class:`engine.sparse.quant.Int8WeightLinear`, bf16 activations); the
token embedding, layer norms and final projection stay fp32. The vectors are close to fp32,
not equal: their top 10 photos agree less often than the bar for a default (cosine and
top-10 agreement: docs/BENCHMARKS.md, query precision), so ``int8`` is opt-in and measured
by the benchmarks. Image encodes never change.
"""

from __future__ import annotations

from open_clip.transformer import ResidualAttentionBlock
from torch import nn

from engine.sparse.blocks import convert_blocks
from engine.sparse.quant import int8_linear_weights, int8_weight_matmul_is_fast
from engine.text_truncation import causal_tower

QUERY_PRECISIONS = ("int8", "fp32")
DEFAULT_QUERY_PRECISION = "fp32"  # int8 misses the top-10 bar (docs/BENCHMARKS.md)


def check_query_precision(precision: str) -> str:
    if precision not in QUERY_PRECISIONS:
        known = ", ".join(QUERY_PRECISIONS)
        raise ValueError(f"query precision must be one of {known}, not {precision!r}")
    return precision


def int8_text_tower(model: nn.Module) -> bool:
    """Give the model's text tower int8 weights, in place. False (the tower stays fp32)
    where it is not an open_clip causal tower of standard blocks (hub text towers, a
    ``.sparse`` file's own tower) or this CPU lacks the fast int8-weight kernel."""
    tower = causal_tower(model)
    if tower is None or not int8_weight_matmul_is_fast():
        return False
    blocks = list(getattr(tower.transformer, "resblocks", []))
    if not blocks or not all(_standard(block) for block in blocks):
        return False
    convert_blocks(tower.transformer)
    int8_linear_weights(tower.transformer)
    return True


def _standard(block: nn.Module) -> bool:
    """open_clip's own block, which :class:`FastBlock` rebuilds exactly."""
    return (
        isinstance(block, ResidualAttentionBlock)
        and block.attn.batch_first
        and block.attn.in_proj_weight is not None
    )

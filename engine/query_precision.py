"""How text queries are encoded on the CPU: with fp16 weights (the default), int8 weights, or
in fp32.

A text query is one short sequence, so the text tower's time is reading its weights
(ViT-B-32: about 38 M fp32 weights per query). Text queries run on a copy of the tower's
blocks, rebuilt as the ``.sparse`` machinery's :class:`engine.sparse.blocks.FastBlock` (one
qkv projection) with only the matmul weights changed (qkv, attention out, both MLP
matrices); the token embedding, layer norms and final projection are shared and stay fp32.
The model itself keeps its fp32 blocks (``state_dict()``, image encodes, device probes).
The copy runs as one lean loop (:class:`engine.query_transformer.QueryTransformer`), with
fp16 weights on one intra-op thread when the cores are busy.

- ``fp16``: weights stored in fp16, activations and arithmetic fp32
  (:class:`engine.fp16_weights.Fp16WeightLinear`): half the bytes, only the weights'
  rounding differs from fp32. The default: it meets both bars for one (cosine >= 0.999 and
  top-10 agreement >= 0.99 against fp32) and halves the encode. Where the kernel is missing
  (fbgemm: x86 builds of torch) queries run on the fp32 blocks.
- ``int8``: per-output-channel int8 weights, bf16 activations
  (:class:`engine.sparse.quant.Int8WeightLinear`): a quarter of the bytes, further from fp32
  (misses the top-10 bar), opt-in.
- ``fp32``: the model as trained, exact.

The figures (cosine, top-10 agreement, time; and the kernels tried): docs/BENCHMARKS.md,
text queries.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from open_clip.transformer import ResidualAttentionBlock
from torch import nn

from engine.fp16_weights import fp16_linear_weights, fp16_weight_matmul_is_available
from engine.query_transformer import QueryTransformer, runs_as_query_transformer
from engine.sparse.blocks import convert_blocks
from engine.sparse.quant import int8_linear_weights, int8_weight_matmul_is_fast
from engine.text_truncation import causal_tower

QUERY_PRECISIONS = ("fp16", "int8", "fp32")
DEFAULT_QUERY_PRECISION = "fp16"  # meets the bars for a default; int8 does not (BENCHMARKS.md)

# precision -> (whether this CPU has its fast kernel, the swap of a tower's Linear weights)
_WEIGHT_FORMATS: dict[str, tuple[Callable[[], bool], Callable[[nn.Module], None]]] = {
    "fp16": (fp16_weight_matmul_is_available, fp16_linear_weights),
    "int8": (int8_weight_matmul_is_fast, int8_linear_weights),
}


def check_query_precision(precision: str) -> str:
    if precision not in QUERY_PRECISIONS:
        known = ", ".join(QUERY_PRECISIONS)
        raise ValueError(f"query precision must be one of {known}, not {precision!r}")
    return precision


def reduced_precision_text_blocks(model: nn.Module, precision: str) -> nn.Module | None:
    """A copy of the model's text transformer whose blocks run on ``precision`` weights
    (``fp16`` or ``int8``), for text queries; the model itself is left as it is (its fp32
    blocks still serve ``state_dict()``, full-length encodes and device probes). None for
    ``fp32``, where the tower is not an open_clip causal tower of standard blocks (hub text
    towers, a ``.sparse`` file's own tower), or where this CPU lacks the format's kernel."""
    if precision not in _WEIGHT_FORMATS:
        return None
    kernel_is_fast, swap_linears = _WEIGHT_FORMATS[precision]
    tower = causal_tower(model)
    if tower is None or not kernel_is_fast():
        return None
    blocks = list(getattr(tower.transformer, "resblocks", []))
    if not blocks or not all(_standard(block) for block in blocks):
        return None
    transformer = copy.copy(tower.transformer)  # shares everything but the module table
    transformer._modules = dict(tower.transformer._modules)
    convert_blocks(transformer)  # new blocks around the same parameters
    swap_linears(transformer)  # replaces the new blocks' Linears, not the model's
    if not runs_as_query_transformer(transformer):
        return transformer
    # on busy cores, each small op's fork and join of the thread team waits for a core
    return QueryTransformer(transformer, one_thread=precision == "fp16")


def _standard(block: nn.Module) -> bool:
    """open_clip's own block, which :class:`FastBlock` rebuilds exactly."""
    return (
        isinstance(block, ResidualAttentionBlock)
        and block.attn.batch_first
        and block.attn.in_proj_weight is not None
    )

"""How text queries are encoded on the CPU: in fp32 (the default), or with fp16 or int8
weights (opt-in).

A text query is one short sequence, so the text tower's time is reading its weights
(ViT-B-32: about 38 M fp32 weights per query). Both opt-in towers reuse the ``.sparse``
machinery's :class:`engine.sparse.blocks.FastBlock` (one qkv projection) and change only the
matmul weights (qkv, attention out, both MLP matrices); the token embedding, layer norms and
final projection stay fp32, and so does every image encode.

- ``fp16``: weights stored in fp16, activations and arithmetic fp32
  (:class:`engine.fp16_weights.Fp16WeightLinear`): half the bytes, only the weights'
  rounding differs from fp32. It meets both bars for a default (cosine >= 0.999 and top-10
  agreement >= 0.99 against fp32) and halves the encode, but it rebuilds the tower in place
  (``model.state_dict()`` and an fp16 cast of the model no longer apply), so it stays opt-in
  until the query path keeps its own tower. Where the kernel is missing (fbgemm: x86 builds
  of torch) the tower stays fp32.
- ``int8``: per-output-channel int8 weights, bf16 activations
  (:class:`engine.sparse.quant.Int8WeightLinear`): a quarter of the bytes, further from fp32
  (misses the top-10 bar), opt-in.
- ``fp32``: the model as trained, exact (the default).

The figures (cosine, top-10 agreement, time; and the kernels tried): docs/BENCHMARKS.md,
text queries.
"""

from __future__ import annotations

from collections.abc import Callable

from open_clip.transformer import ResidualAttentionBlock
from torch import nn

from engine.fp16_weights import fp16_linear_weights, fp16_weight_matmul_is_available
from engine.sparse.blocks import convert_blocks
from engine.sparse.quant import int8_linear_weights, int8_weight_matmul_is_fast
from engine.text_truncation import causal_tower

QUERY_PRECISIONS = ("fp16", "int8", "fp32")
DEFAULT_QUERY_PRECISION = "fp32"  # why not fp16 yet: above; int8 misses a bar (BENCHMARKS.md)

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


def reduced_precision_text_tower(model: nn.Module, precision: str) -> bool:
    """Give the model's text tower ``precision`` weights (``fp16`` or ``int8``), in place.
    False (the tower stays fp32) for ``fp32``, where the tower is not an open_clip causal
    tower of standard blocks (hub text towers, a ``.sparse`` file's own tower), or where this
    CPU lacks the format's fast kernel."""
    if precision not in _WEIGHT_FORMATS:
        return False
    kernel_is_fast, swap_linears = _WEIGHT_FORMATS[precision]
    tower = causal_tower(model)
    if tower is None or not kernel_is_fast():
        return False
    blocks = list(getattr(tower.transformer, "resblocks", []))
    if not blocks or not all(_standard(block) for block in blocks):
        return False
    convert_blocks(tower.transformer)
    swap_linears(tower.transformer)
    return True


def _standard(block: nn.Module) -> bool:
    """open_clip's own block, which :class:`FastBlock` rebuilds exactly."""
    return (
        isinstance(block, ResidualAttentionBlock)
        and block.attn.batch_first
        and block.attn.in_proj_weight is not None
    )

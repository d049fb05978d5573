"""fp16 weights for Linear layers, with fp32 activations and fp32 arithmetic.

Half the bytes of fp32 weights for a matmul whose time is reading them (one short text
query). The kernel is fbgemm's fp16 GEMM (``quantized.linear_dynamic_fp16``): weights are
packed once in fp16 and widened to fp32 in registers, so only the weights' own rounding
(11 significant bits) differs from fp32; the activations are never rounded.
"""

from __future__ import annotations

import torch
from torch import nn


class Fp16WeightLinear(nn.Module):
    """A Linear whose weight is stored in fp16 (packed for fbgemm); input and output fp32."""

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        self.in_features = linear.in_features
        self.out_features = linear.out_features
        bias = linear.bias.detach().float() if linear.bias is not None else None
        self._packed = torch.ops.quantized.linear_prepack_fp16(linear.weight.detach().float(), bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.reshape(-1, self.in_features).float()
        y = torch.ops.quantized.linear_dynamic_fp16(rows, self._packed)
        return y.reshape(*x.shape[:-1], self.out_features)

    def forward_rows(self, rows: torch.Tensor) -> torch.Tensor:
        """``forward`` for 2-d fp32 rows, as they are (the query loop's activations)."""
        return torch.ops.quantized.linear_dynamic_fp16(rows, self._packed)


def fp16_weight_matmul_is_available() -> bool:
    """Whether this torch has the fp16-weight kernel (fbgemm: x86 builds); elsewhere callers
    keep fp32."""
    try:
        packed = torch.ops.quantized.linear_prepack_fp16(torch.ones(1, 1), None)
        torch.ops.quantized.linear_dynamic_fp16(torch.ones(1, 1), packed)
    except (AttributeError, RuntimeError):
        return False
    return True


def fp16_linear_weights(module: nn.Module) -> None:
    """Swap every ``nn.Linear`` under ``module`` for an :class:`Fp16WeightLinear`."""
    for name, child in module.named_children():
        if isinstance(child, nn.Linear):
            setattr(module, name, Fp16WeightLinear(child))
        else:
            fp16_linear_weights(child)

"""int8 weights for Linear layers (engineering win): with activations quantized at run time
(the ``.sparse`` files), or with bf16 activations (the int8 text tower of dense models).

Per-output-channel int8 weights take a quarter of fp32 memory and run on the int8 GEMM
(fbgemm); this is quantization, not sparsity, and the benchmark labels it so.
"""

from __future__ import annotations

import warnings

import torch
from torch import nn
from torch.ao.nn.quantized.dynamic import Linear as QuantizedLinear
from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic


def quantize_linears(module: nn.Module) -> None:
    """Swap every ``nn.Linear`` under ``module`` for an int8 dynamic-quantized one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quantize_dynamic(
            module, {nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8, inplace=True
        )


def export_linear(module: QuantizedLinear) -> dict:
    weight = module.weight()
    bias = module.bias()
    return {
        "kind": "int8",
        "int8": weight.int_repr(),
        "scales": weight.q_per_channel_scales().float(),
        "zero_points": weight.q_per_channel_zero_points().int(),
        "axis": int(weight.q_per_channel_axis()),
        "bias": bias.detach().float() if bias is not None else None,
    }


def import_linear(entry: dict) -> QuantizedLinear:
    int8 = entry["int8"]
    bias = entry["bias"]
    out_features, in_features = int8.shape
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weight = torch._make_per_channel_quantized_tensor(
            int8, entry["scales"].double(), entry["zero_points"].long(), entry["axis"]
        )
        module = QuantizedLinear(in_features, out_features, bias_=bias is not None)
        module.set_weight_bias(weight, bias)
    return module


def is_quantized_linear(module: nn.Module) -> bool:
    return isinstance(module, QuantizedLinear)


class Int8WeightLinear(nn.Module):
    """A Linear with per-output-channel int8 weights and bf16 activations, in one fused
    matmul (torch's int8-weight kernel). Unlike :func:`quantize_linears` (int8 activations
    too, a range per call), only bf16 rounding touches the activations, so the result stays
    close to fp32 where 8-bit activations drift (docs/BENCHMARKS.md, query precision)."""

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        weight = linear.weight.detach().float()
        scales = weight.abs().amax(dim=1).clamp(min=1e-12) / 127.0
        int8 = torch.round(weight / scales[:, None]).clamp(-127, 127).to(torch.int8)
        self.register_buffer("int8", int8.contiguous())
        self.register_buffer("scales", scales.to(torch.bfloat16))
        bias = linear.bias.detach().float() if linear.bias is not None else None
        self.register_buffer("bias", bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.reshape(-1, x.shape[-1]).to(torch.bfloat16)
        y = torch.ops.aten._weight_int8pack_mm(rows, self.int8, self.scales).float()
        if self.bias is not None:
            y = y + self.bias
        return y.reshape(*x.shape[:-1], -1)


def int8_weight_matmul_is_fast() -> bool:
    """Whether torch's int8-weight kernel has its vectorised CPU path here (AVX2/AVX-512);
    elsewhere it may be slower than fp32, so callers keep fp32."""
    return hasattr(torch.ops.aten, "_weight_int8pack_mm") and (
        torch.backends.cpu.get_cpu_capability() in ("AVX2", "AVX512")
    )


def int8_linear_weights(module: nn.Module) -> None:
    """Swap every ``nn.Linear`` under ``module`` for an :class:`Int8WeightLinear`."""
    for name, child in module.named_children():
        if isinstance(child, nn.Linear):
            setattr(module, name, Int8WeightLinear(child))
        else:
            int8_linear_weights(child)

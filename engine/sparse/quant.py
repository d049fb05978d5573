"""int8 weights for Linear layers, activations quantized at run time (engineering win).

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

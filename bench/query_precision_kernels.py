"""The matmul kernels a half-size text tower could run on, one layer stack at a time.

Run by ``python -m bench.query_precision --kernels`` (:data:`ABOUT` says what it measures).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import torch
import torch.nn.functional as F

from bench import fp16_kernel

SHAPES = ((1536, 512), (512, 512), (2048, 512), (512, 2048))  # (out, in) per block
BLOCKS, ROWS = 12, 8
ABOUT = (
    "The 48 matmuls of ViT-B-32's text blocks (qkv 512->1536, out 512->512, c_fc 512->2048, "
    "c_proj 2048->512, twelve times, each with its own random weights, so nothing stays in cache) "
    "on one query's 8 token rows, in each weight format torch offers on this CPU, all in the same "
    "rounds (alternating order). Reported: p50 time of the stack, and one layer's error against "
    "float64 (relative L2), which is what each format costs in quality before it compounds over "
    "the blocks. With one torch thread, also a hand-written AVX-512 fp16-weight kernel "
    "(bench/fp16_kernel.py), to see whether fbgemm's leaves time on the table."
)


def _formats(weights: list[torch.Tensor]) -> dict[str, tuple[str, Callable]]:
    """name -> (what it is, a function of (layer index, fp32 input) -> fp32 output)."""
    fp16_packed = [torch.ops.quantized.linear_prepack_fp16(w, None) for w in weights]
    bf16 = [w.bfloat16() for w in weights]
    fp16 = [w.half() for w in weights]
    scales = [w.abs().amax(dim=1) / 127.0 for w in weights]
    int8 = [
        torch.round(w / s[:, None]).to(torch.int8) for w, s in zip(weights, scales, strict=True)
    ]
    formats = {
        "fp32": (
            "fp32 weights and activations (the baseline)",
            lambda i, x: F.linear(x, weights[i]),
        ),
        "fp16 fbgemm": (
            "fp16 weights, fp32 activations and arithmetic (quantized.linear_dynamic_fp16)",
            lambda i, x: torch.ops.quantized.linear_dynamic_fp16(x, fp16_packed[i]),
        ),
        "bf16 oneDNN": (
            "bf16 weights and activations, fp32 accumulation (F.linear in bf16, AVX512-BF16)",
            lambda i, x: F.linear(x.bfloat16(), bf16[i]).float(),
        ),
        "bf16 split": (
            "bf16 weights; fp32 activations split into two bf16 halves, both through oneDNN",
            lambda i, x: _split_bf16(x, bf16[i]),
        ),
        "fp16 native": (
            "fp16 weights and activations (F.linear in fp16: no AVX512-FP16 here)",
            lambda i, x: F.linear(x.half(), fp16[i]).float(),
        ),
        "fp16 widened": (
            "fp16 weights widened to fp32 per call, then the fp32 matmul",
            lambda i, x: F.linear(x, fp16[i].float()),
        ),
        "int8 bf16-act": (
            "per-channel int8 weights, bf16 activations (_weight_int8pack_mm, as `int8`)",
            lambda i, x: torch.ops.aten._weight_int8pack_mm(
                x.bfloat16(), int8[i], scales[i].bfloat16()
            ).float(),
        ),
    }
    if torch.get_num_threads() == 1 and fp16_kernel.why_unavailable() is None:
        hand_written = [fp16_kernel.HandWrittenFp16Linear(w) for w in weights]
        formats["fp16 hand-written"] = (
            "fp16 weights widened in registers, fp32 FMAs, every row's sums in registers "
            "(bench/fp16_kernel.py, one thread)",
            lambda i, x: hand_written[i](x),
        )
    return formats


def _split_bf16(x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """fp32 activations as high + low bf16 parts, one bf16 matmul over both."""
    high = x.bfloat16()
    low = (x - high.float()).bfloat16()
    both = F.linear(torch.cat([high, low]), weight).float()
    return both[: len(x)] + both[len(x) :]


def measure_kernels(rounds: int = 40, seed: int = 0) -> list[dict]:
    generator = torch.Generator().manual_seed(seed)
    weights = [
        torch.randn(out, inp, generator=generator) * inp**-0.5
        for _ in range(BLOCKS)
        for out, inp in SHAPES
    ]
    inputs = {inp: torch.randn(ROWS, inp, generator=generator) for _, inp in SHAPES}
    formats = _formats(weights)
    times: dict[str, list[float]] = {name: [] for name in formats}
    with torch.inference_mode():
        for r in range(rounds + 1):
            for name in formats if r % 2 == 0 else reversed(list(formats)):
                run = formats[name][1]
                started = time.perf_counter()
                for i, w in enumerate(weights):
                    run(i, inputs[w.shape[1]])
                if r:  # round 0 warms up
                    times[name].append((time.perf_counter() - started) * 1000)
        layer, x = 2, inputs[weights[2].shape[1]]  # a c_fc matmul
        exact = F.linear(x.double(), weights[layer].double())
        rows = []
        for name, (what, run) in formats.items():
            error = (run(layer, x).double() - exact).norm() / exact.norm()
            median = sorted(times[name])[len(times[name]) // 2]
            rows.append({"format": name, "what": what, "p50_ms": median, "rel_error": float(error)})
    base = rows[0]["p50_ms"]
    return [r | {"speedup": base / r["p50_ms"]} for r in rows]


def kernel_table(rows: list[dict]) -> str:
    lines = [
        f"| weights | what | {BLOCKS * len(SHAPES)} matmuls, {ROWS} rows, p50 ms | speed-up"
        " vs fp32 | one layer's relative error |",
        "|---|---|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['format']} | {r['what']} | {r['p50_ms']:.1f} | {r['speedup']:.2f}x"
            f" | {r['rel_error']:.1e} |"
        )
    return "\n".join(lines) + "\n"

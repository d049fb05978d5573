"""The hand-written kernel bench.query_precision times against fbgemm computes the same thing."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from bench import fp16_kernel


@pytest.mark.skipif(fp16_kernel.why_unavailable() is not None, reason="needs cc and AVX-512")
def test_hand_written_kernel_gives_fbgemms_fp16_weight_matmul(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PHOTOSEARCH_BENCH_CACHE", str(tmp_path))
    generator = torch.Generator().manual_seed(0)
    weight = torch.randn(96, 80, generator=generator) / 9
    rows = torch.randn(13, 80, generator=generator)  # more rows than one register block holds
    packed = torch.ops.quantized.linear_prepack_fp16(weight, None)
    expected = torch.ops.quantized.linear_dynamic_fp16(rows, packed)
    got = fp16_kernel.HandWrittenFp16Linear(weight)(rows)
    assert (got - expected).abs().max().item() <= 1e-5

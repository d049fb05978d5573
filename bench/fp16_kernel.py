"""A plain AVX-512 fp16-weight matmul, written here only to measure fbgemm's against it.

fbgemm's fp16 GEMM (the product's text-query kernel, engine/fp16_weights.py) is the one
library kernel with fp16 weights and fp32 activations on x86. Whether it leaves time on
the table for a query's few token rows is what this answers: the straightforward kernel
(widen 32 weights to fp32 in registers, one FMA per row, every row's sums held in
registers) compiled with the system's C compiler at run time. Bench-only: the product
does not ship native code of its own.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import torch

from bench._common import cache_root

_SOURCE = r"""
#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#define ROWS_MAX 12
/* y[m][n] = bias[n] + sum_k x[m][k] w[n][k]; w packed as [n / 32][k][32] fp16 */
static inline __attribute__((always_inline)) void block(
    int rows, const float *x, int k_dim, const uint16_t *w, const float *bias,
    float *y, int n_dim, int nb) {
    __m512 acc[ROWS_MAX][2];
    for (int m = 0; m < rows; m++) {
        acc[m][0] = _mm512_loadu_ps(bias + nb * 32);
        acc[m][1] = _mm512_loadu_ps(bias + nb * 32 + 16);
    }
    const uint16_t *p = w + (size_t)nb * k_dim * 32;
    for (int k = 0; k < k_dim; k++) {
        __m512 w0 = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(p + k * 32)));
        __m512 w1 = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(p + k * 32 + 16)));
        for (int m = 0; m < rows; m++) {
            __m512 xv = _mm512_set1_ps(x[(size_t)m * k_dim + k]);
            acc[m][0] = _mm512_fmadd_ps(xv, w0, acc[m][0]);
            acc[m][1] = _mm512_fmadd_ps(xv, w1, acc[m][1]);
        }
    }
    for (int m = 0; m < rows; m++) {
        _mm512_storeu_ps(y + (size_t)m * n_dim + nb * 32, acc[m][0]);
        _mm512_storeu_ps(y + (size_t)m * n_dim + nb * 32 + 16, acc[m][1]);
    }
}
#define ROWS(R) static void rows##R(const float *x, int k, const uint16_t *w, \
    const float *b, float *y, int n, int nb) { block(R, x, k, w, b, y, n, nb); }
ROWS(1) ROWS(2) ROWS(3) ROWS(4) ROWS(5) ROWS(6) ROWS(7) ROWS(8) ROWS(9) ROWS(10) ROWS(11) ROWS(12)
typedef void (*kernel)(const float *, int, const uint16_t *, const float *, float *, int, int);
static const kernel by_rows[ROWS_MAX + 1] = {0, rows1, rows2, rows3, rows4, rows5, rows6,
                                             rows7, rows8, rows9, rows10, rows11, rows12};
void fp16_linear(const float *x, int m_dim, int k_dim, const uint16_t *w,
                 const float *bias, int n_dim, float *y) {
    for (int m0 = 0; m0 < m_dim; m0 += ROWS_MAX) {
        int rows = m_dim - m0 < ROWS_MAX ? m_dim - m0 : ROWS_MAX;
        for (int nb = 0; nb < n_dim / 32; nb++)
            by_rows[rows](x + (size_t)m0 * k_dim, k_dim, w, bias, y + (size_t)m0 * n_dim,
                          n_dim, nb);
    }
}
"""
_FLAGS = ["-O3", "-mavx512f", "-mf16c", "-mfma", "-shared", "-fPIC"]


def why_unavailable() -> str | None:
    """None when the kernel can run here, else why not."""
    if shutil.which("cc") is None:
        return "no C compiler (cc)"
    flags = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    if not all(f in flags.split() for f in ("avx512f", "f16c", "fma")):
        return "this CPU lacks AVX-512F, F16C or FMA"
    return None


def _library() -> ctypes.CDLL:
    key = hashlib.sha256((_SOURCE + " ".join(_FLAGS)).encode()).hexdigest()[:12]
    built = cache_root() / "fp16_kernel" / f"fp16_linear-{key}.so"
    if not built.exists():
        built.parent.mkdir(parents=True, exist_ok=True)
        source = built.with_suffix(f".{os.getpid()}.c")
        source.write_text(_SOURCE)
        compiled = source.with_suffix(".so")
        subprocess.run(["cc", *_FLAGS, str(source), "-o", str(compiled)], check=True)
        os.replace(compiled, built)  # whole, for another process building it at once
        source.unlink()
    return _loaded(built)


@functools.cache
def _loaded(built: Path) -> ctypes.CDLL:
    """The built library, loaded and declared once per process (one per layer asks)."""
    lib = ctypes.CDLL(str(built))
    pointer, size = ctypes.c_void_p, ctypes.c_int
    lib.fp16_linear.argtypes = [pointer, size, size, pointer, pointer, size, pointer]
    return lib


class HandWrittenFp16Linear:
    """``x @ weight.T`` with the weight rounded to fp16 (bias zero), one thread."""

    def __init__(self, weight: torch.Tensor) -> None:
        out, inp = weight.shape
        if out % 32:
            raise ValueError("output width must be a multiple of 32")
        self._lib = _library()
        self._packed = weight.half().view(out // 32, 32, inp).transpose(1, 2).contiguous()
        self._bias = torch.zeros(out)
        self._shape = (out, inp)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        x = x.contiguous()
        out, inp = self._shape
        y = torch.empty(x.shape[0], out)
        self._lib.fp16_linear(
            x.data_ptr(),
            x.shape[0],
            inp,
            self._packed.data_ptr(),
            self._bias.data_ptr(),
            out,
            y.data_ptr(),
        )
        return y

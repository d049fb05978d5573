"""The seed's activation gating: sum_j delta(a_ij) * a_ij * b_jk.

delta switches off activations with |a| below a threshold before the second MLP matrix.
On a dense CPU GEMM the zeros are still multiplied, so the mask costs time instead of
saving it (see the sparsity benchmark); it is kept as an option for measurement.
"""

from __future__ import annotations

import torch


def gate(activations: torch.Tensor, threshold: float) -> torch.Tensor:
    """delta(a) * a: zero the activations whose magnitude is below ``threshold``."""
    if threshold <= 0.0:
        return activations
    return activations.masked_fill(activations.abs() < threshold, 0.0)

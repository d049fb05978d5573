"""Static magnitude pruning (the comparison row) and CSR storage of weight matrices."""

from __future__ import annotations

import torch
from torch import nn


@torch.no_grad()
def magnitude_prune(model: nn.Module, threshold: float = 1e-3) -> float:
    """Zero every weight-matrix entry with ``|w| < threshold``; return the pruned share."""
    pruned = total = 0
    for param in model.parameters():
        if param.dim() < 2 or not param.is_floating_point():
            continue
        mask = param.abs() < threshold
        pruned += int(mask.sum())
        total += param.numel()
        param.masked_fill_(mask, 0.0)
    return pruned / total if total else 0.0


def csr_bytes(tensor: torch.Tensor) -> int:
    nnz = int(torch.count_nonzero(tensor))
    return nnz * (tensor.element_size() + 4) + (tensor.shape[0] + 1) * 4


def encode(tensor: torch.Tensor) -> torch.Tensor | dict:
    """A 2-D matrix as CSR when that is really smaller than dense, else unchanged."""
    if tensor.dim() != 2 or not tensor.is_floating_point():
        return tensor
    if csr_bytes(tensor) >= tensor.numel() * tensor.element_size():
        return tensor
    rows, cols = tensor.nonzero(as_tuple=True)
    crow = torch.zeros(tensor.shape[0] + 1, dtype=torch.int32)
    crow[1:] = torch.bincount(rows, minlength=tensor.shape[0]).cumsum(0)
    return {
        "kind": "csr",
        "crow": crow,
        "col": cols.int(),
        "values": tensor[rows, cols].clone(),
        "shape": list(tensor.shape),
    }


def decode(entry: dict) -> torch.Tensor:
    dense = torch.zeros(entry["shape"], dtype=entry["values"].dtype)
    crow = entry["crow"].long()
    rows = torch.repeat_interleave(torch.arange(len(crow) - 1), crow[1:] - crow[:-1])
    dense[rows, entry["col"].long()] = entry["values"]
    return dense

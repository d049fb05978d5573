"""The text blocks a query runs on, as one lean loop.

A text query is one sequence of about 6-10 tokens, so besides reading the weights, the time
of its 12 blocks is the per-op cost of running them: module calls, reshapes between 3-d and
2-d for every matmul, identity layer scales. This runs the same ops on the same parameters
(the :class:`engine.sparse.blocks.FastBlock` s of the query blocks, kept as a submodule)
with the activations kept as 2-d rows and each matmul called directly, so its output is
the blocks' own, bit for bit, except in the last block: only the pooled row of each
sequence is read from it, so :meth:`QueryTransformer.forward_pooled` runs its attention
output, projections and MLP on those rows alone (the same values within float rounding,
1e-6; tests/engine/test_query_transformer.py). With fp16 weights its ``one_thread`` lets
the encoder run the whole text encode on one intra-op thread when the cores are busy
(:mod:`engine.one_thread`), also bit for bit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from engine.sparse.blocks import FastBlock

Rows = Callable[[torch.Tensor], torch.Tensor]


class QueryTransformer(nn.Module):
    """Called as the text tower's transformer: ``(x, attn_mask=...)``, batch first.
    ``one_thread``: run on one intra-op thread when the cores are busy."""

    def __init__(self, transformer: nn.Module, one_thread: bool = False) -> None:
        super().__init__()
        self.transformer = transformer
        self.one_thread = one_thread
        self._steps = [_Step(block) for block in transformer.resblocks]

    def get_cast_dtype(self) -> torch.dtype:
        return self.transformer.get_cast_dtype()

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor | None = None) -> torch.Tensor:
        batch, length, width = x.shape
        rows = x.reshape(batch * length, width)
        for step in self._steps:
            rows = step(rows, batch, length, attn_mask)
        return rows.view(batch, length, width)

    def forward_pooled(
        self, x: torch.Tensor, attn_mask: torch.Tensor | None, positions: torch.Tensor
    ) -> torch.Tensor:
        """Only the pooled row of each sequence, ``(batch, width)``: ``forward(x)`` at
        ``positions``. The last block needs every row's keys and values but only the pooled
        rows' queries, and its attention output, projections and MLP are per row, so it
        runs them on one row per sequence instead of all of them."""
        batch, length, width = x.shape
        rows = x.reshape(batch * length, width)
        for step in self._steps[:-1]:
            rows = step(rows, batch, length, attn_mask)
        return self._steps[-1].pooled(rows, batch, length, attn_mask, positions)


def runs_as_query_transformer(transformer: nn.Module) -> bool:
    """Whether every block is a :class:`FastBlock` the loop runs as it is: no gating, layer
    norms, identity or out-of-place layer scales."""
    blocks = list(getattr(transformer, "resblocks", []))
    return bool(blocks) and all(_plain(block) for block in blocks)


def _plain(block: nn.Module) -> bool:
    if not isinstance(block, FastBlock) or block.gate_threshold > 0.0:
        return False
    norms = all(isinstance(n, nn.LayerNorm) for n in (block.ln_1, block.ln_2))
    return norms and all(_scale_is_plain(ls) for ls in (block.ls_1, block.ls_2))


def _scale_is_plain(layer_scale: nn.Module) -> bool:
    if isinstance(layer_scale, nn.Identity):
        return True
    gamma = getattr(layer_scale, "gamma", None)
    return isinstance(gamma, torch.Tensor) and not getattr(layer_scale, "inplace", False)


class _Step:
    """One block's parameters and matmuls, ready to call."""

    def __init__(self, block: FastBlock) -> None:
        self.ln_1 = _layer_norm(block.ln_1)
        self.ln_2 = _layer_norm(block.ln_2)
        self.qkv, self.out = _rows(block.qkv), _rows(block.out)
        self.c_fc, self.c_proj = _rows(block.c_fc), _rows(block.c_proj)
        self.act = _activation(block.act)
        self.ls_1, self.ls_2 = _scale(block.ls_1), _scale(block.ls_2)
        self.n_head = block.n_head

    def __call__(
        self, x: torch.Tensor, batch: int, length: int, attn_mask: torch.Tensor | None
    ) -> torch.Tensor:
        width = x.shape[1]
        qkv = self.qkv(self.ln_1(x)).view(batch, length, 3, self.n_head, width // self.n_head)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        attended = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        out = self.out(attended.transpose(1, 2).reshape(batch * length, width))
        x = x + (out if self.ls_1 is None else out * self.ls_1)
        return self._mlp(x)

    def pooled(
        self,
        x: torch.Tensor,
        batch: int,
        length: int,
        attn_mask: torch.Tensor | None,
        positions: torch.Tensor,
    ) -> torch.Tensor:
        """The block's output rows at ``positions`` (one per sequence), ``(batch, width)``."""
        width = x.shape[1]
        qkv = self.qkv(self.ln_1(x)).view(batch, length, 3, self.n_head, width // self.n_head)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        sequences = torch.arange(batch)
        q = q[sequences, :, positions].unsqueeze(2)
        mask = None if attn_mask is None else attn_mask[positions].view(batch, 1, 1, length)
        attended = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        out = self.out(attended.reshape(batch, width))
        x = x.view(batch, length, width)[sequences, positions]
        x = x + (out if self.ls_1 is None else out * self.ls_1)
        return self._mlp(x)

    def _mlp(self, x: torch.Tensor) -> torch.Tensor:
        hidden = self.c_proj(self.act(self.c_fc(self.ln_2(x))))
        return x + (hidden if self.ls_2 is None else hidden * self.ls_2)


def _rows(linear: nn.Module) -> Rows:
    """The linear on 2-d fp32 rows: its direct matmul where it has one."""
    return getattr(linear, "forward_rows", linear)


def _layer_norm(norm: nn.LayerNorm) -> Rows:
    shape, weight, bias, eps = norm.normalized_shape, norm.weight, norm.bias, norm.eps
    return lambda x: F.layer_norm(x, shape, weight, bias, eps)


def _activation(act: nn.Module) -> Rows:
    if type(act) is nn.GELU:
        return functools.partial(F.gelu, approximate=act.approximate)
    return act


def _scale(layer_scale: nn.Module) -> torch.Tensor | None:
    """A LayerScale's gamma, None for identity."""
    return None if isinstance(layer_scale, nn.Identity) else layer_scale.gamma

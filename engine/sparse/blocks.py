"""A transformer block for inference: fused qkv projection, scaled-dot-product attention,
optional int8 weights, optional activation gating, and the class token's attention on
request (for ViT token pruning).

Built from open_clip's ``ResidualAttentionBlock`` (batch-first), sharing its parameters,
and called as one (``block(x, attn_mask=...)``), so open_clip's ``Transformer`` runs it.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from open_clip.transformer import ResidualAttentionBlock
from torch import nn

from engine.sparse.gating import gate


class FastBlock(nn.Module):
    def __init__(self, block: ResidualAttentionBlock) -> None:
        super().__init__()
        attn = block.attn
        if not attn.batch_first or attn.in_proj_weight is None:
            raise ValueError("only batch-first blocks with a packed in-projection are supported")
        width = attn.embed_dim
        self.n_head = attn.num_heads
        self.ln_1 = block.ln_1
        self.ln_2 = block.ln_2
        self.ls_1 = block.ls_1
        self.ls_2 = block.ls_2
        device = attn.in_proj_weight.device
        self.qkv = nn.Linear(width, 3 * width, bias=attn.in_proj_bias is not None, device=device)
        self.qkv.weight = attn.in_proj_weight
        if attn.in_proj_bias is not None:
            self.qkv.bias = attn.in_proj_bias
        out = attn.out_proj
        self.out = nn.Linear(width, width, bias=out.bias is not None, device=device)
        self.out.weight = out.weight
        if out.bias is not None:
            self.out.bias = out.bias
        self.c_fc = block.mlp.c_fc
        self.act = block.mlp.gelu
        self.c_proj = block.mlp.c_proj
        self.gate_threshold = 0.0

    def get_weight_dtype(self) -> torch.dtype:
        return torch.float32  # activations stay fp32 (int8 weights are quantized per call)

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor | None = None) -> torch.Tensor:
        return self._run(x, attn_mask, want_cls_attention=False)[0]

    def forward_with_cls_attention(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The block's output and each image's class-token attention over its patches."""
        x, cls_attention = self._run(x, None, want_cls_attention=True)
        assert cls_attention is not None
        return x, cls_attention

    def _run(
        self, x: torch.Tensor, attn_mask: torch.Tensor | None, want_cls_attention: bool
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        batch, length, width = x.shape
        head_dim = width // self.n_head
        qkv = self.qkv(self.ln_1(x)).view(batch, length, 3, self.n_head, head_dim)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        attended = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        cls_attention = None
        if want_cls_attention:
            scores = (q[:, :, :1] @ k.transpose(-1, -2)) * head_dim**-0.5
            cls_attention = scores.softmax(dim=-1).mean(dim=1)[:, 0, 1:]  # (batch, patches)
        x = x + self.ls_1(self.out(attended.transpose(1, 2).reshape(batch, length, width)))
        hidden = gate(self.act(self.c_fc(self.ln_2(x))), self.gate_threshold)
        x = x + self.ls_2(self.c_proj(hidden))
        return x, cls_attention


def convert_blocks(transformer: nn.Module) -> None:
    """Replace ``transformer.resblocks`` with :class:`FastBlock` s in place."""
    transformer.resblocks = nn.ModuleList(FastBlock(b) for b in transformer.resblocks)


def set_gate_threshold(transformer: nn.Module, threshold: float) -> None:
    for block in transformer.resblocks:
        block.gate_threshold = threshold

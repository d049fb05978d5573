"""ViT token pruning: after an early block, each image keeps only the patch tokens its
class token attends to most; the later blocks run on the shorter sequence.

Which tokens survive is decided per image at run time; how many is the calibrated keep
ratio. The class token is the pooled output, so it always stays.
"""

from __future__ import annotations

import torch
from open_clip.transformer import VisionTransformer


def supports_pruning(visual: torch.nn.Module) -> bool:
    return (
        isinstance(visual, VisionTransformer)
        and visual.attn_pool is None
        and visual.pool_type == "tok"
    )


def kept_tokens(patches: int, keep_ratio: float) -> int:
    return max(1, min(patches, round(patches * keep_ratio)))


def encode_image(
    visual: VisionTransformer, images: torch.Tensor, keep_ratio: float, prune_after: int
) -> torch.Tensor:
    """``visual(images)`` for a ViT whose blocks are :class:`FastBlock` s, with pruning."""
    x = visual._embeds(images)
    blocks = visual.transformer.resblocks
    prune_at = prune_after if keep_ratio < 1.0 and supports_pruning(visual) else -1
    for i, block in enumerate(blocks):
        if i == prune_at:
            x, cls_attention = block.forward_with_cls_attention(x)
            x = _keep_top(x, cls_attention, kept_tokens(x.shape[1] - 1, keep_ratio))
        else:
            x = block(x)
    pooled, _ = visual._pool(x)
    if visual.proj is not None:
        pooled = pooled @ visual.proj
    return pooled


def _keep_top(x: torch.Tensor, cls_attention: torch.Tensor, keep: int) -> torch.Tensor:
    index = cls_attention.topk(keep, dim=1).indices.sort(dim=1).values
    patches = x[:, 1:].gather(1, index.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
    return torch.cat([x[:, :1], patches], dim=1)

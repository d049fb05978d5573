"""ModifiedResNet (RN50 and the demo ResNet) for CPU inference.

- fused conv+batch-norm, channels-last memory format and bf16 weights (engineering: the
  same computation done the way oneDNN runs fastest; not sparsity);
- input-adaptive resolution (dynamic): an image whose detail score is low is encoded at a
  lower resolution, the attention pool's position embedding resized to the smaller grid.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from open_clip.modified_resnet import ModifiedResNet
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval


def is_resnet(visual: nn.Module) -> bool:
    return isinstance(visual, ModifiedResNet)


def fuse_batch_norms(module: nn.Module) -> None:
    """Fold every BatchNorm2d that directly follows a Conv2d into the convolution."""
    for parent in list(module.modules()):
        names = list(parent._modules)
        for first, second in zip(names, names[1:], strict=False):
            conv, norm = parent._modules[first], parent._modules[second]
            if isinstance(conv, nn.Conv2d) and isinstance(norm, nn.BatchNorm2d):
                parent._modules[first] = fuse_conv_bn_eval(conv, norm)
                parent._modules[second] = nn.Identity()


def prepare_fast(visual: ModifiedResNet, bf16: bool) -> None:
    visual.eval()
    fuse_batch_norms(visual)
    if bf16:
        visual.to(torch.bfloat16)
    visual.to(memory_format=torch.channels_last)


def detail_score(images: torch.Tensor) -> torch.Tensor:
    """Mean absolute neighbour difference of the grey image: low = little fine detail."""
    grey = images.float().mean(dim=1)
    dx = (grey[:, :, 1:] - grey[:, :, :-1]).abs().mean(dim=(1, 2))
    dy = (grey[:, 1:, :] - grey[:, :-1, :]).abs().mean(dim=(1, 2))
    return dx + dy


def encode_image(
    visual: ModifiedResNet, images: torch.Tensor, low_size: int = 0, threshold: float = 0.0
) -> torch.Tensor:
    if low_size <= 0 or threshold <= 0.0 or low_size >= images.shape[-1]:
        return forward(visual, images)
    low = detail_score(images) < threshold
    if not bool(low.any()):
        return forward(visual, images)
    out = torch.empty(images.shape[0], _output_dim(visual))
    out[low] = forward(visual, downscale(images[low], low_size))
    if bool((~low).any()):
        out[~low] = forward(visual, images[~low])
    return out


def downscale(images: torch.Tensor, size: int) -> torch.Tensor:
    return F.interpolate(images, size=(size, size), mode="bilinear", antialias=True)


def forward(visual: ModifiedResNet, images: torch.Tensor) -> torch.Tensor:
    dtype = visual.conv1.weight.dtype
    x = images.to(dtype=dtype, memory_format=torch.channels_last)
    x = visual.stem(x)
    x = visual.layer4(visual.layer3(visual.layer2(visual.layer1(x))))
    return _attention_pool(visual.attnpool, x).float()


def _output_dim(visual: ModifiedResNet) -> int:
    return int(visual.attnpool.c_proj.out_features)


def _attention_pool(pool: nn.Module, x: torch.Tensor) -> torch.Tensor:
    x = x.flatten(2).permute(2, 0, 1)  # NCHW -> (HW)NC
    x = torch.cat([x.mean(dim=0, keepdim=True), x], dim=0)
    x = x + _position_embedding(pool, x.shape[0] - 1)[:, None, :].to(x.dtype)
    x, _ = F.multi_head_attention_forward(
        query=x[:1],
        key=x,
        value=x,
        embed_dim_to_check=x.shape[-1],
        num_heads=pool.num_heads,
        q_proj_weight=pool.q_proj.weight,
        k_proj_weight=pool.k_proj.weight,
        v_proj_weight=pool.v_proj.weight,
        in_proj_weight=None,
        in_proj_bias=torch.cat([pool.q_proj.bias, pool.k_proj.bias, pool.v_proj.bias]),
        bias_k=None,
        bias_v=None,
        add_zero_attn=False,
        dropout_p=0.0,
        out_proj_weight=pool.c_proj.weight,
        out_proj_bias=pool.c_proj.bias,
        use_separate_proj_weight=True,
        training=False,
        need_weights=False,
    )
    return x[0]


def _position_embedding(pool: nn.Module, cells: int) -> torch.Tensor:
    table = pool.positional_embedding
    if table.shape[0] == cells + 1:
        return table
    cache = pool.__dict__.setdefault("_resized_positions", {})
    if cells not in cache:
        old = round((table.shape[0] - 1) ** 0.5)
        new = round(cells**0.5)
        grid = table[1:].float().reshape(1, old, old, -1).permute(0, 3, 1, 2)
        grid = F.interpolate(grid, size=(new, new), mode="bicubic", align_corners=False)
        grid = grid.permute(0, 2, 3, 1).reshape(new * new, -1)
        cache[cells] = torch.cat([table[:1].float(), grid]).to(table.dtype)
    return cache[cells]

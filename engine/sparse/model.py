""":class:`SparseCLIP`: what the encoder calls when the model is a ``.sparse`` file."""

from __future__ import annotations

import torch
from torch import nn

from engine.sparse import resnet, vit
from engine.sparse.blocks import convert_blocks, set_gate_threshold
from engine.sparse.quant import quantize_linears
from engine.sparse.settings import SparsitySettings
from engine.text_truncation import encode_text


class SparseCLIP(nn.Module):
    """Wraps an open_clip ``CLIP``; ``encode_image``/``encode_text`` run the sparse forward."""

    def __init__(self, clip: nn.Module, settings: SparsitySettings) -> None:
        super().__init__()
        self.clip = clip
        self.settings = settings

    @property
    def visual(self) -> nn.Module:
        return self.clip.visual

    def encode_image(self, images: torch.Tensor, normalize: bool = False) -> torch.Tensor:
        s = self.settings
        visual = self.clip.visual
        if not s.dynamic:
            features = self.clip.encode_image(images)
        elif resnet.is_resnet(visual):
            features = resnet.encode_image(
                visual, images, s.resnet_low_size, s.resnet_detail_threshold
            )
        else:
            features = vit.encode_image(visual, images, s.vit_keep_ratio, s.vit_prune_after)
        return nn.functional.normalize(features, dim=-1) if normalize else features

    def encode_text(self, tokens: torch.Tensor, normalize: bool = False) -> torch.Tensor:
        features = encode_text(self.clip, tokens)  # exact truncation, as for every model
        return nn.functional.normalize(features, dim=-1) if normalize else features


def restructure(clip: nn.Module, settings: SparsitySettings) -> None:
    """Module surgery for the dynamic forward (no quantization; works on meta tensors)."""
    if not settings.dynamic:
        return
    if getattr(clip, "transformer", None) is not None:
        convert_blocks(clip.transformer)
        set_gate_threshold(clip.transformer, settings.gate_threshold)
        if settings.fp16_embedding:
            clip.token_embedding.half()
    visual = getattr(clip, "visual", None)
    if visual is None:
        return
    if resnet.is_resnet(visual):
        resnet.prepare_fast(visual, settings.bf16_resnet)
    else:
        convert_blocks(visual.transformer)
        set_gate_threshold(visual.transformer, settings.gate_threshold)


def quantize(clip: nn.Module, settings: SparsitySettings) -> None:
    if not (settings.dynamic and settings.int8_linear):
        return
    if getattr(clip, "transformer", None) is not None:
        quantize_linears(clip.transformer)
    visual = getattr(clip, "visual", None)
    if visual is not None and not resnet.is_resnet(visual):
        quantize_linears(visual.transformer)


def sparsify(clip: nn.Module, settings: SparsitySettings) -> SparseCLIP:
    """Turn a loaded dense fp32 ``CLIP`` into a :class:`SparseCLIP` (in place)."""
    clip.eval()
    restructure(clip, settings)
    quantize(clip, settings)
    return SparseCLIP(clip, settings)

"""The ViT's teacher: a trained demo ResNet's embedding, feature maps and rankings."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F

from engine.demo import configs
from engine.demo.configs import DEMO_MODELS
from engine.demo.training.losses import rank_distillation


class Distiller(torch.nn.Module):
    """Teacher signals for a ViT student: global embedding and per-location feature maps.

    The teacher is a trained demo ResNet. Its text tower is copied into the student and
    locked; the student's image tower learns from the contrastive loss plus (a) the cosine
    distance of its embedding to the teacher's and (b) the cosine distance of linear maps of
    its block-2 and block-4 token grids to the teacher's layer2 (8x8) and layer3 (4x4)
    feature maps, and (c) once ``bank`` is set, the divergence of its ranking of the
    statement bank from the teacher's. The dense term hands the ViT local shape features,
    which it is slow to discover on its own; the linear heads are used in training only.
    """

    bank: torch.Tensor | None = None  # statement embeddings (frozen text tower)
    scale: float = 1.0  # logit scale for the rankings

    def __init__(self, teacher_kind: str, path: Path, student: torch.nn.Module) -> None:
        super().__init__()
        teacher = configs.create_model(DEMO_MODELS[teacher_kind][0], pretrained=str(path))
        teacher.eval().requires_grad_(False)
        text_state = {k: v for k, v in teacher.state_dict().items() if not k.startswith("visual.")}
        student.load_state_dict(text_state, strict=False)
        for name, p in student.named_parameters():
            p.requires_grad_(name.startswith("visual."))
        self.teacher = teacher.visual
        width = student.visual.transformer.width
        self.blocks = [
            student.visual.transformer.layers // 2 - 1,
            student.visual.transformer.layers - 1,
        ]
        channels = [
            self.teacher.layer2[-1].conv3.out_channels,
            self.teacher.layer3[-1].conv3.out_channels,
        ]
        self.heads = torch.nn.ModuleList(torch.nn.Conv2d(width, c, 1) for c in channels)

    def train(self, mode: bool = True) -> Distiller:
        super().train(mode)
        self.teacher.eval()  # batch-norm statistics stay the teacher's
        return self

    @torch.no_grad()
    def _teacher(self, images: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        v = self.teacher
        x = v.layer1(v.stem(images))
        maps = [v.layer2(x)]
        maps.append(v.layer3(maps[0]))
        return F.normalize(v.attnpool(v.layer4(maps[1])), dim=-1), maps

    def __call__(self, student: torch.nn.Module, images: torch.Tensor):
        """(normalised student image features, global distance, dense distance, ranking)."""
        out = student.visual.forward_intermediates(images, indices=self.blocks)
        features = F.normalize(out["image_features"], dim=-1)
        target, maps = self._teacher(images)
        distance = 1 - (features * target).sum(-1).mean()
        dense = 0.0
        for head, grid, target_map in zip(
            self.heads, out["image_intermediates"], maps, strict=True
        ):
            grid = F.adaptive_avg_pool2d(grid, target_map.shape[-2:])
            dense = dense + (1 - F.cosine_similarity(head(grid), target_map, dim=1)).mean()
        ranking = torch.zeros(())
        if self.bank is not None:
            ranking = rank_distillation(features, target, self.bank, self.scale)
        return features, distance, dense / len(self.heads), ranking

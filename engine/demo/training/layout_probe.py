"""Layout labels of a scene and the linear probe that reads them from the image embedding."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from engine.demo.scenes.scene import BACKGROUNDS, COLOURS, SHAPES, Scene

_COLOUR_INDEX = {c: i for i, c in enumerate(COLOURS)}
_SHAPE_INDEX = {s: i for i, s in enumerate(SHAPES)}
# background; one, two or three identical objects or a pair; then (left/right, top/bottom
# axis) x (first, second object along it) x (colour, shape)
_ARRANGEMENTS = 4
_LAYOUT_CLASSES = [len(BACKGROUNDS), _ARRANGEMENTS]
_LAYOUT_CLASSES += [len(_COLOUR_INDEX), len(_SHAPE_INDEX)] * 4
_NO_LABEL = -100


def layout_labels(scene: Scene) -> list[int]:
    """The scene's background and arrangement (how many identical objects, or a pair), and the
    colour and shape of a pair's first (left or top) and second object along its relation's
    axis; ``_NO_LABEL`` for the other axis and for groups."""
    labels = [_NO_LABEL] * len(_LAYOUT_CLASSES)
    labels[0] = BACKGROUNDS.index(scene.background)
    labels[1] = _ARRANGEMENTS - 1 if scene.relation else len(scene.objects) - 1
    if scene.relation is None:
        return labels
    first, second = scene.objects
    if scene.relation in ("right of", "below"):
        first, second = second, first
    axis = 2 if scene.relation in ("left of", "right of") else 6
    for k, thing in enumerate((first, second)):
        labels[axis + 2 * k] = _COLOUR_INDEX[thing.colour]
        labels[axis + 2 * k + 1] = _SHAPE_INDEX[thing.shape]
    return labels


class LayoutProbe(torch.nn.Module):
    """Linear read-out from the image embedding of which object is where, the background and
    the arrangement (training only).

    Contrastive learning alone leaves a pair and its mirror image with nearly the same
    embedding, and "A left of B" with nearly the same text embedding as "A right of B": each
    tower's gradient towards telling them apart is proportional to the other tower already
    doing so. This probe makes the image tower encode the layout directly; the contrastive
    loss then teaches the text tower to read it. The probe also reads out the background and
    the arrangement: without them, textures and then counts lose out to the layout (the
    ResNet recipe table in docs/BENCHMARKS.md).
    """

    def __init__(self, embed_dim: int) -> None:
        super().__init__()
        self.linear = torch.nn.Linear(embed_dim, sum(_LAYOUT_CLASSES))

    def forward(self, features: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        logits = self.linear(features * features.shape[-1] ** 0.5)
        loss, count = logits.new_zeros(()), 0
        for k, part in enumerate(logits.split(_LAYOUT_CLASSES, dim=1)):
            wanted = labels[:, k]
            if (wanted != _NO_LABEL).any():
                loss = loss + F.cross_entropy(part, wanted, ignore_index=_NO_LABEL)
                count += 1
        return loss / max(count, 1)

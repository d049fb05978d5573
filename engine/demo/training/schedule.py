"""Per-architecture training schedules and the learning-rate curve."""

from __future__ import annotations

import math
from collections.abc import Callable

# Per-architecture schedule, sized for the 2-core time budget (the wall time of each run is
# in docs/BENCHMARKS.md, "Which way round: the ResNet" and "The ViT"). twins = share of pair
# scenes shown with their mirror image; near_misses = false statements naming both objects of
# a pair. Loss weights: layout = the LayoutProbe; (ViT) distill = embedding distance to the
# teacher's, dense = feature maps, rank = ranking of the statement bank like the teacher's,
# truth = ranking of the bank by what holds.
SETTINGS: dict[str, dict] = {
    "vit": {
        "steps": 1900,
        "batch": 64,
        "lr": 1.5e-3,
        "family": 4,
        "teacher": "resnet",
        "distill": 1,
        "dense": 1,
        "rank": 4,
        "truth": 4,
        "twins": 0.5,
        "near_misses": True,
        "layout": 3,
    },
    "resnet": {
        "steps": 700,
        "batch": 256,
        "lr": 2e-3,
        "family": 4,
        "twins": 0.5,
        "near_misses": True,
        "layout": 1,
    },
}


def warmup_cosine(steps: int) -> Callable[[int], float]:
    """The learning-rate factor per step: linear warm-up over the first 5%, then cosine."""
    warmup = max(1, steps // 20)

    def lr_factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, steps - warmup)))

    return lr_factor

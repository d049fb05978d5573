"""The demo models as the training script names them (``--model vit|resnet``).

The table itself lives in :mod:`engine.models` (one place for config names and weights).
"""

from __future__ import annotations

from pathlib import Path

from engine.models import DEMO_MODELS as _BY_ALIAS
from engine.models import known_architectures

# --model value of engine.demo.train -> (open_clip model name, shipped weights file)
DEMO_MODELS: dict[str, tuple[str, Path]] = {
    "vit": _BY_ALIAS["demo"],
    "resnet": _BY_ALIAS["demo-resnet"],
}


def register_demo_configs() -> list[str]:
    """Make the demo architectures known to open_clip (safe to call repeatedly)."""
    known_architectures()
    return [name for name, _ in DEMO_MODELS.values()]

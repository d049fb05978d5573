"""The demo models' open_clip configs and shipped weights."""

from __future__ import annotations

from pathlib import Path

import open_clip

CONFIG_DIR = Path(__file__).resolve().parent.parent / "model_configs"
WEIGHTS_DIR = Path(__file__).resolve().parents[2] / "assets" / "models"

# --model value of engine.demo.train -> (open_clip model name, shipped weights file)
DEMO_MODELS: dict[str, tuple[str, Path]] = {
    "vit": ("photosearch-demo-vit", WEIGHTS_DIR / "demo-vit.pt"),
    "resnet": ("photosearch-demo-resnet", WEIGHTS_DIR / "demo-resnet.pt"),
}


def register_demo_configs() -> list[str]:
    """Make the demo architectures known to open_clip (safe to call repeatedly)."""
    names = [name for name, _ in DEMO_MODELS.values()]
    for name in names:
        if name not in open_clip.list_models():
            open_clip.add_model_config(CONFIG_DIR / f"{name}.json")
    return names

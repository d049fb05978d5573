"""Resolve a model name and weights into a loaded open_clip model.

Every model, the real architectures (ViT-B-32, RN50, ...) and the project's own demo
models alike, goes through :func:`load_clip`: one factory, configuration as data.
"""

from __future__ import annotations

import gc
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

import open_clip
import torch

from engine.weights import RANDOM, WeightsUnavailableError, resolve_tag

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
DEFAULT_MODEL = "ViT-B-32"
DEFAULT_TAG = "laion2b_s34b_b79k"
RANDOM_SEED = 0
TOWERS = ("image", "text")

# Project models: alias -> (open_clip config name, weights file shipped in assets/).
DEMO_MODELS = {
    "demo": ("photosearch-demo-vit", ASSETS_DIR / "models" / "demo-vit.pt"),
    "demo-resnet": ("photosearch-demo-resnet", ASSETS_DIR / "models" / "demo-resnet.pt"),
}


def best_demo_model() -> str:
    """The more accurate shipped demo model (docs/BENCHMARKS.md): the ResNet, else the ViT."""
    return "demo-resnet" if DEMO_MODELS["demo-resnet"][1].exists() else "demo"


class ModelError(Exception):
    """A model cannot be resolved or loaded; ``str(err)`` is the user-facing line."""


@dataclass(frozen=True)
class ModelSpec:
    """What the user asked for: ``name`` as typed, and the resolved architecture/weights."""

    name: str
    arch: str
    weights: str  # a pretrained tag, a checkpoint file path, or "random"
    # set for a .sparse file: the vector space of the dense model it was converted from
    source_model_id: str | None = None

    @property
    def is_random(self) -> bool:
        return self.weights == RANDOM

    @property
    def is_sparse(self) -> bool:
        return self.source_model_id is not None

    @property
    def model_id(self) -> str:
        """Identifies the vector space: equal ids mean comparable vectors."""
        if self.source_model_id is not None:
            return self.source_model_id
        if self.is_random:
            return f"{self.arch}:random-seed{RANDOM_SEED}"
        path = Path(self.weights)
        if path.is_file():
            return f"{self.arch}:file-{file_digest(path)}"
        return f"{self.arch}:{self.weights}"


def file_digest(path: Path, length: int = 12) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:length]


def known_architectures() -> list[str]:
    _register_project_configs()
    return open_clip.list_models()


def resolve_spec(model: str | None = None, weights: str | None = None) -> ModelSpec:
    """Turn ``--model``/``--weights`` into a :class:`ModelSpec` (no loading happens here)."""
    name = model or DEFAULT_MODEL
    if name.endswith(".sparse"):
        return _sparse_spec(name, weights)
    if name in DEMO_MODELS:
        _register_project_configs()  # so ClipEncoder.dim works before the model is loaded
        arch, shipped = DEMO_MODELS[name]
        return ModelSpec(name=name, arch=arch, weights=weights or str(shipped))
    _register_project_configs()
    if name not in open_clip.list_models():
        raise ModelError(
            f"unknown model '{name}' (try ViT-B-32, RN50, demo, demo-resnet or a .sparse file)"
        )
    if weights is None:
        weights = DEFAULT_TAG if name == DEFAULT_MODEL else _first_tag(name)
    if weights != RANDOM and _looks_like_path(weights) and not Path(weights).is_file():
        raise ModelError(f"weights file not found: {weights}")
    return ModelSpec(name=name, arch=name, weights=weights)


def _sparse_spec(name: str, weights: str | None) -> ModelSpec:
    from engine.sparse import fileformat

    if weights is not None:
        raise ModelError("--weights does not apply to a .sparse model (its weights are inside)")
    try:
        payload = fileformat.read(Path(name))
        fileformat.register_config(payload["arch"], payload["config"])
    except fileformat.SparseFileError as exc:
        raise ModelError(str(exc)) from None
    return ModelSpec(
        name=name,
        arch=payload["arch"],
        weights=str(Path(name)),
        source_model_id=payload["source_model_id"],
    )


def _first_tag(arch: str) -> str:
    tags = open_clip.list_pretrained_tags_by_model(arch)
    if not tags:
        raise ModelError(f"model {arch} has no pretrained weights; pass --weights FILE or random")
    return tags[0]


def _looks_like_path(weights: str) -> bool:
    return "/" in weights or "\\" in weights or Path(weights).suffix != ""


def load_clip(spec: ModelSpec, towers: tuple[str, ...] = TOWERS) -> torch.nn.Module:
    """Create the model with its weights, in eval mode, keeping only ``towers``."""
    _register_project_configs()
    if spec.is_sparse:
        from engine.sparse import fileformat

        try:
            return fileformat.load(Path(spec.weights), towers)
        except fileformat.SparseFileError as exc:
            raise ModelError(str(exc)) from None
    kwargs: dict = {}
    pretrained: str | None = None
    if spec.is_random:
        print(
            f"warning: {spec.arch} with random weights: results are meaningless (tests only)",
            file=sys.stderr,
        )
    elif Path(spec.weights).is_file():
        pretrained = spec.weights
    else:
        try:
            path, tag_cfg = resolve_tag(spec.arch, spec.weights)
        except WeightsUnavailableError as exc:
            raise ModelError(str(exc)) from None
        pretrained = str(path)
        kwargs["force_quick_gelu"] = bool(tag_cfg.get("quick_gelu", False))
        kwargs["force_preprocess_cfg"] = {
            k: tag_cfg[k] for k in ("mean", "std", "interpolation", "resize_mode") if k in tag_cfg
        }
    try:
        with torch.random.fork_rng():
            torch.manual_seed(RANDOM_SEED)
            model = open_clip.create_model(spec.arch, pretrained=pretrained, **kwargs)
    except (RuntimeError, ValueError, KeyError, OSError) as exc:
        what = f"weights file {spec.weights}" if pretrained else f"model {spec.arch}"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"cannot load {what}: {first[:300]}") from None
    model.eval().float()
    keep_towers(model, towers)
    return model


def keep_towers(model: torch.nn.Module, towers: tuple[str, ...]) -> None:
    """Free the tower(s) a caller does not need (a text query needs no image tower)."""
    if "image" not in towers:
        model.visual = None
    if "text" not in towers:
        for attr in ("transformer", "token_embedding", "ln_final", "text"):
            if hasattr(model, attr):
                setattr(model, attr, None)
        if isinstance(getattr(model, "positional_embedding", None), torch.nn.Parameter):
            model.positional_embedding = None
        if isinstance(getattr(model, "text_projection", None), torch.nn.Parameter):
            model.text_projection = None
    gc.collect()


_configs_registered = False


def _register_project_configs() -> None:
    global _configs_registered
    if _configs_registered:
        return
    config_dir = Path(__file__).resolve().parent / "model_configs"
    if config_dir.is_dir():
        open_clip.add_model_config(config_dir)
    _configs_registered = True

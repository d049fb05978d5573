"""``model convert``: SOURCE -> ``.sparse`` file; ``model info``: what a file holds.

SOURCE syntax: ``demo`` | ``demo-resnet`` | ``ARCH`` (its default pretrained tag) |
``ARCH:TAG`` | ``ARCH:random`` | ``ARCH:/path/to/checkpoint.pt``.
"""

from __future__ import annotations

import copy
import csv
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import open_clip
import torch
from open_clip.modified_resnet import ModifiedResNet
from open_clip.transform import PreprocessCfg, image_transform_v2
from open_clip.transformer import QuickGELU, VisionTransformer
from PIL import Image

from engine.images import BadImageError, is_image_path, load_image
from engine.models import DEMO_MODELS, ModelError, ModelSpec, load_clip, resolve_spec
from engine.sparse import SPARSE_SUFFIX, fileformat
from engine.sparse.calibrate import Progress, calibrate
from engine.sparse.model import sparsify
from engine.sparse.settings import SparsitySettings
from engine.sparse.static import magnitude_prune

CALIBRATION_PHOTOS = 48
DEFAULT_KEEP_RATIO = 0.7  # without calibration: conservative


def parse_source(source: str) -> ModelSpec:
    if source.endswith(SPARSE_SUFFIX):
        raise ModelError(f"{source} is already a .sparse model; convert its source instead")
    if source in DEMO_MODELS or ":" not in source:
        return resolve_spec(source)
    arch, weights = source.split(":", 1)
    if not weights:
        raise ModelError(f"empty weights in '{source}' (use ARCH:TAG, ARCH:random or ARCH:FILE)")
    return resolve_spec(arch, weights)


def model_config(spec: ModelSpec, model: torch.nn.Module) -> dict:
    config = copy.deepcopy(open_clip.get_model_config(spec.arch))
    if config is None:
        raise ModelError(f"unknown architecture {spec.arch}")
    blocks = model.transformer.resblocks
    if len(blocks) and isinstance(blocks[0].mlp.gelu, QuickGELU):
        config["quick_gelu"] = True
    return config


def check_supported(spec: ModelSpec, model: torch.nn.Module) -> None:
    if type(model) is not open_clip.CLIP or not isinstance(
        model.visual, (VisionTransformer, ModifiedResNet)
    ):
        raise ModelError(
            f"{spec.arch}: sparse conversion supports open_clip CLIP models with a ViT or"
            " ModifiedResNet image tower (e.g. ViT-B-32, RN50, demo, demo-resnet)"
        )


def photo_tensors(
    folder: Path, model: torch.nn.Module, limit: int
) -> tuple[list[torch.Tensor], list[str]]:
    """Up to ``limit`` readable photos of ``folder``, and the captions of those photos when the
    folder has a ``captions.csv`` (``file,caption``, as ``photosearch demo`` writes)."""
    if not folder.is_dir():
        raise ModelError(f"calibration folder not found: {folder}")
    transform = _transform(model)
    size = _image_size(model)
    captions = _folder_captions(folder)
    tensors, texts = [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and is_image_path(p)):
        try:
            tensors.append(transform(load_image(path, min_side=size)))
        except BadImageError:
            continue
        if caption := captions.get(path.relative_to(folder).as_posix()):
            texts.append(caption)
        if len(tensors) >= limit:
            break
    if len(tensors) < 2:
        raise ModelError(f"calibration needs at least 2 readable photos in {folder}")
    return tensors, texts


def _folder_captions(folder: Path) -> dict[str, str]:
    from engine.demo.scenes.captions_csv import read_captions

    path = folder / "captions.csv"
    if not path.is_file():
        return {}
    try:
        return {file: caption for file, caption in read_captions(path) if caption.strip()}
    except KeyError:
        raise ModelError(
            f"{path} needs the columns file,caption (as photosearch demo writes it)"
        ) from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ModelError(f"unreadable {path}: {exc}") from None


def training_scenes(model: torch.nn.Module, count: int) -> tuple[list[torch.Tensor], list[str]]:
    """Demo models calibrate on rendered training-split scenes (never the held-out set), with
    one true statement about each as a text query."""
    from engine.demo.scenes.generate import random_scene
    from engine.demo.scenes.render import render_scene
    from engine.demo.scenes.statements import random_statement

    rng = np.random.default_rng([7, count])
    drawn = [random_scene(rng, split="train") for _ in range(count)]
    transform = _transform(model)
    images: list[Image.Image] = [render_scene(s, (640, 480)) for s in drawn]
    return [transform(img) for img in images], [random_statement(s, rng) for s in drawn]


def convert(
    source: str,
    output: Path,
    mode: str,
    calibrate_dir: Path | None = None,
    progress: Progress | None = None,
    photos: int = CALIBRATION_PHOTOS,
) -> dict:
    """Write ``output`` and return its :func:`info`."""
    output = Path(output)
    if output.suffix != SPARSE_SUFFIX:
        raise ModelError(f"output must end in {SPARSE_SUFFIX}: {output}")
    if not output.parent.is_dir():
        raise ModelError(f"output folder not found: {output.parent}")
    spec = parse_source(source)
    started = time.perf_counter()
    dense = load_clip(spec)
    check_supported(spec, dense)
    config = model_config(spec, dense)
    preprocess_cfg = dict(dense.visual.preprocess_cfg)
    settings = SparsitySettings.for_mode(mode)
    effect: dict = {"dense_fp32_bytes": _param_bytes(dense)}
    if mode == "static":
        effect["pruned_weight_share"] = magnitude_prune(dense, settings.static_threshold)
        model = sparsify(dense, settings)
    elif mode == "dynamic":
        model = sparsify(copy.deepcopy(dense), settings)
        texts: list[str] = []
        if calibrate_dir is not None:
            images, texts = photo_tensors(Path(calibrate_dir), dense, photos)
        elif spec.name in DEMO_MODELS:
            images, texts = training_scenes(dense, photos)
        else:
            images = None
            settings.vit_keep_ratio = DEFAULT_KEEP_RATIO
            effect["calibration"] = "none (default keep ratio)"
        if images is not None:
            tokens = open_clip.get_tokenizer(spec.arch)(texts) if texts else None
            result = calibrate(dense, model, images, progress=progress, query_tokens=tokens)
            for key, value in result.updates.items():
                setattr(settings, key, value)
            effect.update(result.effect)
        del dense
    else:
        model = sparsify(dense, settings)
    effect["convert_seconds"] = round(time.perf_counter() - started, 1)
    fileformat.save(
        output,
        model,
        arch=spec.arch,
        config=config,
        preprocess_cfg=preprocess_cfg,
        source_name=spec.name,
        source_model_id=spec.model_id,
        effect=effect,
    )
    return info(output)


def info(path: Path) -> dict:
    try:
        payload = fileformat.read(Path(path))
    except fileformat.SparseFileError as exc:
        raise ModelError(str(exc)) from None
    tensors = payload["tensors"]
    kinds = {"int8": 0, "csr": 0}
    for entry in tensors.values():
        if isinstance(entry, dict):
            kinds[entry.get("kind", "?")] = kinds.get(entry.get("kind", "?"), 0) + 1
    return {
        "file": str(path),
        "size_bytes": Path(path).stat().st_size,
        "arch": payload["arch"],
        "source": payload["source_name"],
        "source_model_id": payload["source_model_id"],
        "settings": payload["settings"],
        "effect": payload.get("effect") or {},
        "int8_matrices": kinds["int8"],
        "csr_matrices": kinds["csr"],
    }


def _param_bytes(model: torch.nn.Module) -> int:
    return sum(p.numel() * 4 for p in model.parameters())


def _transform(model: torch.nn.Module) -> Callable:
    return image_transform_v2(PreprocessCfg(**model.visual.preprocess_cfg), is_train=False)


def _image_size(model: torch.nn.Module) -> int:
    size = model.visual.preprocess_cfg["size"]
    return int(min(size) if isinstance(size, (tuple, list)) else size)

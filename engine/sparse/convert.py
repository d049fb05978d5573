"""``model convert``: a model spec -> ``.sparse`` file; ``model info``: what a file holds.

Which photos and texts calibrate the dynamic settings is the caller's choice (a
:class:`CalibrationSet`): a folder of photos (:func:`folder_calibration`) or, for the demo
models, their rendered training scenes.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import open_clip
import torch
from open_clip.modified_resnet import ModifiedResNet
from open_clip.transform import PreprocessCfg, image_transform_v2
from open_clip.transformer import VisionTransformer
from PIL import Image

from engine.dense import load_dense
from engine.errors import ModelError
from engine.images import BadImageError, load_image
from engine.sparse import SPARSE_SUFFIX, fileformat
from engine.sparse.calibrate import Progress, calibrate
from engine.sparse.model import sparsify
from engine.sparse.settings import SparsitySettings
from engine.sparse.static import magnitude_prune
from engine.spec import ModelSpec

CALIBRATION_PHOTOS = 48
DEFAULT_KEEP_RATIO = 0.7  # without calibration: conservative


@dataclass
class CalibrationSet:
    """Photos to calibrate on, and text queries about them (captions; may be empty)."""

    images: list[Image.Image]
    texts: list[str] = field(default_factory=list)


def check_supported(spec: ModelSpec, model: torch.nn.Module) -> None:
    if type(model) is not open_clip.CLIP or not isinstance(
        model.visual, (VisionTransformer, ModifiedResNet)
    ):
        raise ModelError(
            "{model}: sparse conversion supports open_clip CLIP models with a ViT or"
            " ModifiedResNet image tower (e.g. ViT-B-32, RN50, demo, demo-resnet)",
            model=spec.arch,
        )


def check_output(output: Path) -> None:
    if output.suffix != SPARSE_SUFFIX:
        raise ModelError("output must end in {suffix}: {path}", suffix=SPARSE_SUFFIX, path=output)
    if not output.parent.is_dir():
        raise ModelError("output folder not found: {path}", path=output.parent)


def folder_calibration(
    folder: Path, captions: Mapping[str, str], limit: int, min_side: int
) -> CalibrationSet:
    """Up to ``limit`` readable photos of ``folder`` (decoded at ``min_side``), with the
    captions (relative POSIX path -> text) of those photos that have one."""
    if not folder.is_dir():
        raise ModelError("calibration folder not found: {path}", path=folder)
    images, texts = [], []
    # Every file is tried: what is not a photo (captions.csv, notes) fails to decode and is passed.
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        try:
            images.append(load_image(path, min_side=min_side))
        except BadImageError:
            continue
        if caption := captions.get(path.relative_to(folder).as_posix(), "").strip():
            texts.append(caption)
        if len(images) >= limit:
            break
    if len(images) < 2:
        raise ModelError("calibration needs at least 2 readable photos in {path}", path=folder)
    return CalibrationSet(images, texts)


def convert(
    spec: ModelSpec,
    output: Path,
    mode: str,
    calibration: CalibrationSet | None = None,
    progress: Progress | None = None,
) -> dict:
    """Write ``output`` and return its :func:`info`. A dynamic conversion calibrates on
    ``calibration``; without one it keeps a conservative default keep ratio."""
    output = Path(output)
    if spec.is_sparse:
        raise ModelError(
            "{model} is already a .sparse model; convert its source instead", model=spec.name
        )
    check_output(output)
    started = time.perf_counter()
    dense = load_dense(spec)
    check_supported(spec, dense)
    settings = SparsitySettings.for_mode(mode)
    effect: dict = {"dense_fp32_bytes": _param_bytes(dense)}
    if mode == "static":
        effect["pruned_weight_share"] = magnitude_prune(dense, settings.static_threshold)
        model = sparsify(dense, settings)
    elif mode == "dynamic":
        model = sparsify(copy.deepcopy(dense), settings)
        if calibration is None:
            settings.vit_keep_ratio = DEFAULT_KEEP_RATIO
            effect["calibration"] = "none (default keep ratio)"
        else:
            transform = image_transform_v2(PreprocessCfg(**spec.preprocess_cfg), is_train=False)
            images = [transform(image) for image in calibration.images]
            texts = calibration.texts
            tokens = spec.tokenizer()(texts) if texts else None
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
        config=spec.config,
        preprocess_cfg=spec.preprocess_cfg,
        source_name=spec.name,
        source_model_id=spec.model_id,
        effect=effect,
    )
    return info(output)


def info(path: Path) -> dict:
    payload = fileformat.read(Path(path))
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

"""The ``.sparse`` model file: one ``torch.save``'d dict, loaded with ``weights_only``.

Keys: ``format``/``version``; ``arch`` and ``config`` (the open_clip model config, so the
file loads without the original registry); ``preprocess_cfg``; ``source_name`` and
``source_model_id`` (the vector space: a sparse model's id is its source's id);
``settings`` (:class:`SparsitySettings`); ``effect`` (measured at conversion, or None);
``tensors``: name -> tensor, or a dict ``{"kind": "int8"|"csr", ...}`` for int8 Linear
weights and CSR matrices.
"""

from __future__ import annotations

import os
from pathlib import Path

import open_clip
import torch
from torch import nn

from engine.dense import on_meta
from engine.errors import ModelError, first_line
from engine.sparse import quant, static
from engine.sparse.model import SparseCLIP, restructure
from engine.sparse.settings import SparsitySettings
from engine.towers import keep_towers

FORMAT = "photosearch-sparse"
VERSION = 1


class SparseFileError(ModelError):
    """Not a readable ``.sparse`` file; ``str(err)`` is one line for the user."""


def save(
    path: Path,
    model: SparseCLIP,
    *,
    arch: str,
    config: dict,
    preprocess_cfg: dict,
    source_name: str,
    source_model_id: str,
    effect: dict | None = None,
) -> None:
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "arch": arch,
        "config": config,
        "preprocess_cfg": dict(preprocess_cfg),
        "source_name": source_name,
        "source_model_id": source_model_id,
        "settings": model.settings.to_dict(),
        "effect": effect,
        "tensors": export_tensors(model.clip, csr=model.settings.mode == "static"),
    }
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        torch.save(payload, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def read(path: Path) -> dict:
    """The whole payload, tensors memory-mapped (cheap for headers)."""
    path = Path(path)
    if not path.is_file():
        raise SparseFileError("model file not found: {path}", path=path)
    try:
        payload = torch.load(path, map_location="cpu", mmap=True, weights_only=True)
    except Exception as exc:  # torch raises many kinds for a non-torch file
        raise SparseFileError(
            "not a photosearch .sparse model file: {path} ({error})",
            path=path,
            error=first_line(exc, limit=200),
        ) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise SparseFileError("not a photosearch .sparse model file: {path}", path=path)
    if payload.get("version", 0) > VERSION:
        raise SparseFileError(
            "{path} was written by a newer photosearch (format {version})",
            path=path,
            version=VERSION,
        )
    return payload


def export_tensors(clip: nn.Module, csr: bool = False) -> dict:
    out: dict = {}
    quantized = [name for name, m in clip.named_modules() if quant.is_quantized_linear(m)]
    for name in quantized:
        out[name] = quant.export_linear(clip.get_submodule(name))
    prefixes = tuple(f"{name}." for name in quantized)
    for key, tensor in clip.state_dict().items():
        if key.startswith(prefixes):
            continue
        out[key] = static.encode(tensor) if csr else tensor
    return out


def load(path: Path, towers: tuple[str, ...]) -> SparseCLIP:
    """Build the model on the meta device, then attach the stored tensors (no fp32 copy)."""
    payload = read(path)
    settings = SparsitySettings.from_dict(payload["settings"])
    try:
        with on_meta():
            clip = open_clip.CLIP(**payload["config"])
        keep_towers(clip, towers)
        restructure(clip, settings)
        _attach(clip, payload["tensors"])
    except (KeyError, RuntimeError, TypeError, ValueError) as exc:
        raise SparseFileError(
            "damaged .sparse model file {path}: {error}", path=path, error=exc
        ) from None
    if clip.visual is not None:
        clip.visual.preprocess_cfg = dict(payload["preprocess_cfg"])
    return SparseCLIP(clip.eval(), settings)


def _attach(clip: nn.Module, tensors: dict) -> None:
    wanted = clip.state_dict()
    state = {}
    quantized = {}
    for key, entry in tensors.items():
        if isinstance(entry, dict) and entry.get("kind") == "int8":
            quantized[key] = entry
        elif key in wanted:
            state[key] = static.decode(entry) if isinstance(entry, dict) else entry
    clip.load_state_dict(state, strict=False, assign=True)
    for key, entry in quantized.items():
        parent_name, _, child = key.rpartition(".")
        try:
            parent = clip.get_submodule(parent_name)
        except AttributeError:
            continue  # a tower that was not asked for
        if parent is not None and hasattr(parent, child):
            setattr(parent, child, quant.import_linear(entry))
    if isinstance(getattr(clip, "attn_mask", None), torch.Tensor) and clip.attn_mask.is_meta:
        size = clip.attn_mask.shape[0]
        clip.attn_mask = torch.full((size, size), float("-inf")).triu_(1)
    meta = [n for n, t in [*clip.named_parameters(), *clip.named_buffers()] if t.is_meta]
    if meta:
        raise ValueError(f"missing tensors: {', '.join(meta[:3])}")

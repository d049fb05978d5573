"""Find model weights: a pretrained tag from the model hub, a local file, or none.

Downloads go to the hub's own cache (shown with a progress bar by the hub client) and
are reused from there. Without a network, or with ``HF_HUB_OFFLINE=1``, a tag that is
not cached fails at once with a message naming the model and tag and how to pass a
local file instead (:func:`engine.hub.offline_reason`).
"""

from __future__ import annotations

import os
from pathlib import Path

import open_clip

from engine.errors import UNKNOWN_TAG, PhrasedError
from engine.hub import offline_reason

RANDOM = "random"


class WeightsUnavailableError(PhrasedError):
    """Weights cannot be had; ``str(err)`` is the one-line message for the user."""


def pretrained_tags(arch: str) -> list[str]:
    return open_clip.list_pretrained_tags_by_model(arch)


def resolve_tag(arch: str, tag: str) -> tuple[Path, dict]:
    """Return the local checkpoint path for ``arch``/``tag`` and the tag's config."""
    cfg = open_clip.get_pretrained_cfg(arch, tag)
    if not cfg:
        tags = ", ".join(pretrained_tags(arch)) or "none"
        raise WeightsUnavailableError(UNKNOWN_TAG, tag=tag, model=arch, tags=tags)
    hub = cfg.get("hf_hub", "")
    if not hub:
        raise WeightsUnavailableError(
            "{model}/{tag} has no model-hub download; pass a local file", model=arch, tag=tag
        )
    repo_id, filename = os.path.split(hub)
    filename = filename or "open_clip_pytorch_model.bin"
    candidates = _candidate_filenames(filename)

    cached = _from_cache(repo_id, candidates)
    if cached:
        return cached, cfg
    why = offline_reason()
    if why is not None:
        raise WeightsUnavailableError(
            "weights for {model} '{tag}' are not downloaded and the model hub cannot be reached"
            " {why}; download them on a connected machine or pass a local checkpoint with"
            " --weights /path/to/file.bin",
            model=arch,
            tag=tag,
            why=why,
        )
    return _download(repo_id, candidates, arch, tag), cfg


def _candidate_filenames(filename: str) -> list[str]:
    names = [filename]
    if filename.endswith((".bin", ".pth")):
        names.insert(0, filename.rsplit(".", 1)[0] + ".safetensors")
    return names


def _from_cache(repo_id: str, filenames: list[str]) -> Path | None:
    from huggingface_hub import try_to_load_from_cache

    for name in filenames:
        found = try_to_load_from_cache(repo_id, name)
        if isinstance(found, str):
            return Path(found)
    return None


def _download(repo_id: str, filenames: list[str], arch: str, tag: str) -> Path:
    from huggingface_hub import hf_hub_download

    last_error: Exception | None = None
    for name in filenames:
        try:
            return Path(hf_hub_download(repo_id, name))
        except Exception as exc:  # the hub client raises many kinds; try the next name
            last_error = exc
    raise WeightsUnavailableError(
        "could not download weights for {model} '{tag}': {error}; pass a local checkpoint"
        " with --weights /path/to/file.bin",
        model=arch,
        tag=tag,
        error=last_error,
    )

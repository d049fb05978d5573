"""The model hub: is it reachable, and the small files a model takes from it.

Weights (:mod:`engine.weights`) and the config and tokenizer files of hub text towers
(:mod:`engine.hub_text`) come from the hub's own cache; a first use downloads them with the
hub client's progress bars. Without a network, or with ``HF_HUB_OFFLINE=1``, what is not
cached fails at once with one line saying so (:func:`offline_reason`).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

from engine.errors import NO_NETWORK, OFFLINE_SET, PhrasedError

_HUB_PROBE_TIMEOUT_S = 3.0
# a text tower's config and tokenizer (never its weights: a model's checkpoint holds them)
TEXT_FILE_PATTERNS = ["*.json", "*.model", "*.txt"]
TOKENIZER_FILES = ("tokenizer.json", "sentencepiece.bpe.model", "spiece.model", "vocab.txt")


class HubFilesUnavailableError(PhrasedError):
    """Files cannot be had from the hub; ``str(err)`` is the one-line message for the user."""


def offline_reason() -> str | None:
    """Why the hub cannot be reached now (one of engine.errors' ``OFFLINE_REASONS``), or None."""
    import socket  # here: every command imports this module, few ever ask

    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}:
        return OFFLINE_SET
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    parsed = urlparse(endpoint)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((parsed.hostname or "", port), _HUB_PROBE_TIMEOUT_S):
            return None
    except OSError:
        return NO_NETWORK


def text_files_folder(repo_id: str, model: str) -> Path:
    """The local folder with ``repo_id``'s config and tokenizer files: a folder path as it
    is, else the hub's cached copy, else downloaded now (``model`` names the model that
    needs them in the message when they cannot be had)."""
    if Path(repo_id).is_dir():
        return Path(repo_id)
    from huggingface_hub import snapshot_download

    cached = _cached_text_files(repo_id)
    if cached is not None:
        return cached
    why = offline_reason()
    if why is not None:
        raise HubFilesUnavailableError(
            "the tokenizer and config of {model} (model hub: {repo}) are not downloaded"
            " and the model hub cannot be reached {why}; run it once on a connected machine"
            " (they are kept in the model hub's cache)",
            model=model,
            repo=repo_id,
            why=why,
        )
    try:
        return Path(snapshot_download(repo_id, allow_patterns=TEXT_FILE_PATTERNS))
    except Exception as exc:  # the hub client raises many kinds
        raise HubFilesUnavailableError(
            "could not download the tokenizer and config of {model} ({repo}): {error}",
            model=model,
            repo=repo_id,
            error=exc,
        ) from None


def _cached_text_files(repo_id: str) -> Path | None:
    from huggingface_hub import snapshot_download

    try:
        folder = Path(
            snapshot_download(repo_id, allow_patterns=TEXT_FILE_PATTERNS, local_files_only=True)
        )
    except Exception:  # not cached (LocalEntryNotFoundError and kin)
        return None
    complete = (folder / "config.json").is_file() and any(
        (folder / name).is_file() for name in TOKENIZER_FILES
    )
    return folder if complete else None

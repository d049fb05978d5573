"""Text towers and tokenizers that open_clip takes from the model hub by name.

Multilingual models (``xlm-roberta-base-ViT-B-32``, ``nllb-clip-base-siglip``) name a hub
model in their config (``hf_model_name``: its config builds the text tower; its weights
come from the model's own checkpoint) and a hub tokenizer (``hf_tokenizer_name``). Both
are resolved to a local folder of config and tokenizer files (:mod:`engine.hub`: cached,
downloaded with progress, or a clear error offline) before anything is built.
"""

from __future__ import annotations

import copy

from engine.hub import text_files_folder

HUB_TEXT_KEYS = ("hf_model_name", "hf_tokenizer_name")


def uses_hub_text(config: dict) -> bool:
    """Whether the config names a hub text tower or tokenizer."""
    text_cfg = config.get("text_cfg", {})
    return any(text_cfg.get(key) for key in HUB_TEXT_KEYS)


def with_local_text_files(config: dict, model: str) -> dict:
    """A copy of ``config`` whose hub names are local folders (``model`` names the model in
    the error when the files cannot be had)."""
    if not uses_hub_text(config):
        return config
    config = copy.deepcopy(config)
    text_cfg = config["text_cfg"]
    for key in HUB_TEXT_KEYS:
        if text_cfg.get(key):
            text_cfg[key] = str(text_files_folder(text_cfg[key], model))
    return config

"""What a model is before anything is loaded: its source, config and preprocessing.

A :class:`ModelSpec` carries everything a caller needs to know about a model without
building it: the embedding size, the image size and preprocessing, the tokenizer and the
vector-space id. :mod:`engine.registry` makes specs; :mod:`engine.models` loads them.
open_clip (and with it torch) is imported only where a tokenizer or a transform is made, so
that commands which encode nothing start without it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import ModelError, first_line
from engine.hub import HubFilesUnavailableError
from engine.hub_text import with_local_text_files

RANDOM = "random"
RANDOM_SEED = 0
# How a spec is loaded: an open_clip model built from its config, or a .sparse file.
OPEN_CLIP, SPARSE_FILE = "open_clip", "sparse"


@dataclass(frozen=True)
class ModelSpec:
    """A model source, resolved: ``name`` as the user names it (an architecture, an alias or a
    file), the architecture, the weights, and the open_clip config they fit."""

    name: str
    arch: str
    weights: str  # a pretrained tag, a checkpoint file path, "random", or the .sparse file
    config: dict = field(compare=False, repr=False)  # the open_clip model config
    # preprocessing values that differ from open_clip's defaults (a tag's mean/std, a file's)
    preprocess: dict = field(default_factory=dict, compare=False, repr=False)
    kind: str = OPEN_CLIP
    # set for a .sparse file: the vector space of the dense model it was converted from
    source_model_id: str | None = None

    @property
    def is_random(self) -> bool:
        return self.weights == RANDOM

    @property
    def is_sparse(self) -> bool:
        return self.kind == SPARSE_FILE

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

    @property
    def embed_dim(self) -> int:
        return int(self.config["embed_dim"])

    @property
    def image_size(self) -> int:
        """The shorter side of the model's input image."""
        size = self.preprocess_cfg["size"]
        return int(min(size) if isinstance(size, (tuple, list)) else size)

    @property
    def preprocess_cfg(self) -> dict:
        """open_clip's preprocessing values for this model (as ``create_model`` sets them)."""
        from open_clip.transform import PreprocessCfg, merge_preprocess_dict

        size = self.config.get("vision_cfg", {}).get("image_size", PreprocessCfg.size)
        base = merge_preprocess_dict(PreprocessCfg(), {"size": size})
        return merge_preprocess_dict(base, self.preprocess)

    def tokenizer(self):
        """The tokenizer the config names (open_clip's ``get_tokenizer``, without its registry);
        a hub tokenizer's files are fetched on first use (:mod:`engine.hub_text`)."""
        from open_clip.tokenizer import DEFAULT_CONTEXT_LENGTH, SimpleTokenizer

        text_cfg = self.config.get("text_cfg", {})
        context_length = text_cfg.get("context_length", DEFAULT_CONTEXT_LENGTH)
        kwargs = dict(text_cfg.get("tokenizer_kwargs", {}))
        if text_cfg.get("hf_tokenizer_name"):
            return self._hub_tokenizer(context_length, kwargs)
        return SimpleTokenizer(context_length=context_length, **kwargs)

    def _hub_tokenizer(self, context_length: int, kwargs: dict):
        from open_clip.tokenizer import HFTokenizer

        from engine.query_language import LanguageTokenizer, QueryLanguageError

        try:
            text_cfg = with_local_text_files(self.config, self.name)["text_cfg"]
            tokenizer = HFTokenizer(
                text_cfg["hf_tokenizer_name"],
                context_length=context_length,
                tokenizer_mode=text_cfg.get("tokenizer_mode"),
                **kwargs,
            )
        except HubFilesUnavailableError as exc:
            raise ModelError.from_error(exc) from None
        except (OSError, ValueError, ImportError) as exc:
            raise ModelError(
                "cannot load the tokenizer of {model}: {error}",
                model=self.name,
                error=first_line(exc),
            ) from None
        if not hasattr(tokenizer, "set_lang_fn"):
            return tokenizer
        try:  # NLLB: each query gets its language's code
            return LanguageTokenizer(tokenizer)
        except QueryLanguageError as exc:
            raise ModelError.from_error(exc) from None


def file_digest(path: Path, length: int = 12) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:length]

"""The image and text encoder used by indexing and search.

The model is created on first use, and only with the towers the caller asked for, so
``photosearch search "text"`` never builds the image tower.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import torch
from open_clip.transform import PreprocessCfg, image_transform_v2
from PIL import Image

from engine.models import load_clip
from engine.registry import parse_source
from engine.spec import ModelSpec
from engine.towers import TOWERS


class ClipEncoder:
    """Encodes PIL images and strings into L2-normalised float32 vectors."""

    def __init__(
        self,
        model: str | None = None,
        weights: str | None = None,
        towers: tuple[str, ...] = TOWERS,
        spec: ModelSpec | None = None,
    ) -> None:
        self.spec = spec or parse_source(model, weights)
        self.towers = towers
        self._model: torch.nn.Module | None = None
        self._transform = None
        self._tokenizer = None
        self._lock = threading.Lock()

    # -- identity ---------------------------------------------------------------------
    @property
    def model_id(self) -> str:
        return self.spec.model_id

    @property
    def dim(self) -> int:
        return self.spec.embed_dim

    @property
    def image_size(self) -> int:
        return self.spec.image_size

    # -- loading ----------------------------------------------------------------------
    @property
    def model(self) -> torch.nn.Module:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = load_clip(self.spec, self.towers)
        return self._model

    def load(self) -> ClipEncoder:
        """Load now (the GUI does this in the background at start-up)."""
        _ = self.model
        return self

    @property
    def transform(self):
        if self._transform is None:
            cfg = PreprocessCfg(**self.spec.preprocess_cfg)
            self._transform = image_transform_v2(cfg, is_train=False)
        return self._transform

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            self._tokenizer = self.spec.tokenizer()
        return self._tokenizer

    # -- encoding ---------------------------------------------------------------------
    def prepare(self, image: Image.Image) -> torch.Tensor:
        """The model's own preprocessing of one image (thread-safe, runs in decode workers)."""
        return self.transform(image)

    @torch.inference_mode()
    def encode_prepared(self, batch: Sequence[torch.Tensor]) -> np.ndarray:
        if not batch:
            return np.zeros((0, self.dim), dtype=np.float32)
        features = self.model.encode_image(torch.stack(list(batch)))
        return _normalised(features)

    def encode_images(self, images: Sequence[Image.Image], batch_size: int = 32) -> np.ndarray:
        out = [
            self.encode_prepared([self.prepare(img) for img in images[i : i + batch_size]])
            for i in range(0, len(images), batch_size)
        ]
        return np.concatenate(out) if out else np.zeros((0, self.dim), dtype=np.float32)

    @torch.inference_mode()
    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        tokens = self.tokenizer(list(texts))
        return _normalised(self.model.encode_text(tokens))


def _normalised(features: torch.Tensor) -> np.ndarray:
    vectors = features.float().numpy()
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)

"""The image and text encoder used by indexing and search.

The model is created on first use, and only with the towers the caller asked for, so
``photosearch search "text"`` never builds the image tower. It runs on the device
:mod:`engine.device` resolves (``auto``: CUDA, then MPS, then the CPU), in half precision
where that device has it and the vectors match fp32. On the CPU a text query runs on fp16
weights by default (int8 or fp32 on request: :mod:`engine.query_precision`).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
from collections.abc import Sequence

import numpy as np
import torch
from open_clip.transform import PreprocessCfg, image_transform_v2
from PIL import Image

from engine import device as devices
from engine.errors import N_
from engine.models import load_clip
from engine.one_thread import cores_are_busy, one_intra_op_thread
from engine.query_precision import (
    DEFAULT_QUERY_PRECISION,
    check_query_precision,
    reduced_precision_text_blocks,
)
from engine.registry import parse_source
from engine.spec import ModelSpec
from engine.text_truncation import encode_text
from engine.towers import TOWERS

log = logging.getLogger("photosearch.engine")

# What is imported by now (torch, open_clip and theirs: most of the objects a process ever
# holds) lives as long as the process. Left to the cyclic GC, each full collection traversed
# all of it while holding the GIL, whichever thread triggered it: an indexing thread's stalled
# the window's scrolling (docs/BENCHMARKS.md, browsing and typing). From here on only what is
# made later is collected; models are built later, so a dropped one is still freed.
gc.freeze()


class ClipEncoder:
    """Encodes PIL images and strings into L2-normalised float32 vectors."""

    def __init__(
        self,
        model: str | None = None,
        weights: str | None = None,
        towers: tuple[str, ...] = TOWERS,
        spec: ModelSpec | None = None,
        device: str | None = None,
        query_precision: str = DEFAULT_QUERY_PRECISION,
    ) -> None:
        self.spec = spec or parse_source(model, weights)
        self.towers = towers
        self.query_precision = check_query_precision(query_precision)
        self.device = devices.resolve(device)
        if self.spec.is_sparse:
            self.device = devices.for_sparse_file(self.device)
        self.dtype = torch.float32
        self._model: torch.nn.Module | None = None
        self._transform = None
        self._tokenizer = None
        self._lock = threading.Lock()
        # the text transformer queries run on when not the model's own (query_precision)
        self.query_blocks: torch.nn.Module | None = None

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

    @property
    def batch_size(self) -> int:
        """Photos per encoder batch on this device."""
        return devices.batch_size(self.device)

    # -- loading ----------------------------------------------------------------------
    @property
    def model(self) -> torch.nn.Module:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    what = "+".join(self.towers)
                    log.debug("building the model %s (%s) on %s", self.spec.name, what, self.device)
                    self._model = self._placed(load_clip(self.spec, self.towers))
        return self._model

    def _placed(self, model: torch.nn.Module) -> torch.nn.Module:
        model = model.to(self.device)
        if self._wants_reduced_text():
            self.query_blocks = reduced_precision_text_blocks(model, self.query_precision)
            if self.query_blocks is not None:
                log.debug("text queries: %s weights", self.query_precision)
        if devices.wants_half(self.device):
            probe_tokens = self.tokenizer(["a photo"])
            if devices.half_matches_fp32(
                model, self.device, self.towers, self.image_size, probe_tokens
            ):
                self.dtype = torch.float16
                model = model.half()
            else:
                log.info(N_("fp16 vectors differ from fp32 on %s; encoding in fp32"), self.device)
        return model

    def _wants_reduced_text(self) -> bool:
        """A dense model's text tower on the CPU (a ``.sparse`` file brings its own)."""
        return (
            self.query_precision != "fp32"
            and "text" in self.towers
            and self.device.type == "cpu"
            and not self.spec.is_sparse
        )

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
        model = self.model
        images = torch.stack(list(batch)).to(self.device, self.dtype)
        features = model.encode_image(images)
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
        tokens = self.tokenizer(list(texts)).to(self.device)
        model = self.model
        blocks = self.query_blocks
        one_thread = getattr(blocks, "one_thread", False) and cores_are_busy()
        with one_intra_op_thread() if one_thread else contextlib.nullcontext():
            return _normalised(encode_text(model, tokens, blocks))


def _normalised(features: torch.Tensor) -> np.ndarray:
    vectors = features.float().cpu().numpy()
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)

"""What index/ needs from an encoder; engine.encoder.ClipEncoder satisfies it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # annotations only: a command that encodes nothing starts without them
    import numpy as np
    from PIL import Image


class Encoder(Protocol):
    @property
    def model_id(self) -> str: ...

    @property
    def dim(self) -> int: ...

    @property
    def image_size(self) -> int: ...

    def prepare(self, image: Image.Image) -> Any:
        """Preprocess one decoded image; called from worker threads."""

    def encode_prepared(self, batch: Sequence[Any]) -> np.ndarray:
        """Encode prepared images into unit float32 vectors, shape (n, dim)."""

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        """Encode strings into unit float32 vectors, shape (n, dim)."""


class TextReader(Protocol):
    """What the OCR pass needs; engine.ocr.TextReader satisfies it."""

    @property
    def engine_id(self) -> str: ...

    def read(self, path: str) -> Sequence[Any]:
        """Lines (objects with text, score, box) in the photo at ``path``; thread-safe."""

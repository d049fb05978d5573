"""An encoder whose recent text vectors are kept: a text search encodes its query twice
(to rank, then to mark the good matches), and the query service of ``watch`` answers many
short-lived processes that often repeat a query. Everything else is the encoder's own."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from index.protocols import Encoder

SIZE = 64  # texts


class TextVectorCache:
    def __init__(self, encoder: Encoder, size: int = SIZE) -> None:
        self._encoder = encoder
        self._size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __getattr__(self, name: str):
        return getattr(self._encoder, name)

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = dict(zip(missing, self._encoder.encode_texts(missing), strict=True))
            with self._lock:
                self._vectors.update(fresh)
                for text in fresh:
                    self._vectors.move_to_end(text)
                while len(self._vectors) > self._size:
                    self._vectors.popitem(last=False)
            known.update(fresh)
        if not texts:
            return self._encoder.encode_texts(texts)
        return np.stack([known[t] for t in texts])

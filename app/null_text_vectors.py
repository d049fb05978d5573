"""The good-match gate's null strings (:mod:`index.cutoff`), encoded once per model and kept
on disk, so that a new search process encodes only its query.

A file is named by a digest of what its vectors depend on: the model (its architecture and
vector space, or a weights file's path, size and modification time), the device, the query
precision and the strings themselves; it also holds them all and is used only when they
match. A different model or changed weights or strings get a new file, never stale vectors. The
folder is ``$PHOTOSEARCH_CACHE/text-vectors``, else the user's cache folder; a file that
cannot be read is encoded again, one that cannot be written is skipped (it is a cache).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.atomic import atomic_target

CACHE_ENV = "PHOTOSEARCH_CACHE"
FOLDER = "text-vectors"
FORMAT = 1  # raise when the file's layout or what the vectors depend on changes
log = logging.getLogger("photosearch.app")


def cache_folder() -> Path:
    root = os.environ.get(CACHE_ENV)
    if not root:
        from platformdirs import user_cache_dir

        root = user_cache_dir("photosearch", appauthor=False)
    return Path(root).expanduser() / FOLDER


def encoder_identity(encoder) -> str | None:
    """What the encoder's text vectors depend on, or None for an encoder that does not say
    (then nothing is cached)."""
    spec = getattr(encoder, "spec", None)
    if spec is None:
        return None
    facts: dict = {
        "format": FORMAT,
        "arch": spec.arch,
        "weights": spec.weights,
        "kind": spec.kind,
        "source": spec.source_model_id,
        "device": str(getattr(encoder, "device", "")),
        "precision": getattr(encoder, "query_precision", ""),
    }
    weights = Path(spec.weights)
    if weights.is_file():  # its path, size and time (a model id would hash the whole file)
        stat = weights.stat()
        facts["file"] = [str(weights.resolve()), stat.st_size, stat.st_mtime_ns]
    else:
        facts["model_id"] = encoder.model_id
    return json.dumps(facts, sort_keys=True)


class NullTextVectors:
    """``encode_null_texts`` for :class:`index.search.SearchService`: the encoder's vectors
    of the given strings, from the cache folder when they are there."""

    def __init__(self, encoder, folder: Path | None = None) -> None:
        self.encoder = encoder
        self.folder = folder or cache_folder()

    def __call__(self, texts: list[str]) -> np.ndarray:
        identity = encoder_identity(self.encoder)
        if identity is None:
            return self.encoder.encode_texts(texts)
        path = self.folder / f"{_digest(identity, texts)}.npz"
        vectors = _read(path, identity, texts)
        if vectors is None:
            vectors = np.asarray(self.encoder.encode_texts(texts), dtype=np.float32)
            _write(path, identity, texts, vectors)
        return vectors


def _digest(identity: str, texts: Sequence[str]) -> str:
    h = hashlib.sha256(identity.encode())
    for text in texts:
        h.update(b"\0" + text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:32]


def _read(path: Path, identity: str, texts: Sequence[str]) -> np.ndarray | None:
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["identity"]) != identity or data["texts"].tolist() != list(texts):
                return None
            vectors = np.asarray(data["vectors"], dtype=np.float32)
    except FileNotFoundError:
        return None
    except (
        OSError,
        ValueError,
        KeyError,
        EOFError,
        zipfile.BadZipFile,
    ) as exc:  # damaged: encode again, overwrite
        log.debug("unreadable text vectors %s: %s", path, exc)
        return None
    if vectors.ndim != 2 or len(vectors) != len(texts) or not np.isfinite(vectors).all():
        return None
    return vectors


def _write(path: Path, identity: str, texts: Sequence[str], vectors: np.ndarray) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_target(path, durable=False) as tmp, open(tmp, "wb") as f:
            np.savez(f, identity=np.array(identity), texts=np.array(list(texts)), vectors=vectors)
    except OSError as exc:
        log.debug("text vectors not cached at %s: %s", path, exc)

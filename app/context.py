"""The composition root: open a library and the encoder that belongs to it."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from app.errors import CommandError, UsageError
from engine.encoder import ClipEncoder
from engine.images import load_image
from engine.registry import default_weights, parse_source
from engine.spec import ModelSpec
from engine.towers import TOWERS
from index.catalog import INDEXED
from index.library import Library, ModelBinding
from index.pipeline import Indexer
from index.search import SearchService

LIBRARY_ENV = "PHOTOSEARCH_LIBRARY"


def default_library_dir() -> Path:
    return Path(user_data_dir("photosearch", appauthor=False)) / "library"


def library_dir(option: str | None) -> Path:
    return Path(option or os.environ.get(LIBRARY_ENV) or default_library_dir()).expanduser()


def folder_paths(raw_paths: list[str]) -> list[str]:
    """Absolute paths of folder arguments; a missing folder is a usage error."""
    folders = []
    for raw in raw_paths:
        path = os.path.abspath(os.path.expanduser(raw))
        if not os.path.isdir(path):
            raise UsageError(f"not a folder: {raw}")
        folders.append(path)
    return folders


def open_library(option: str | None, *, writable: bool) -> Library:
    return Library(library_dir(option), writable=writable)


def choose_spec(
    library: Library, model: str | None, weights: str | None, *, allow_change: bool = False
) -> ModelSpec:
    """The model for this command: the library's own unless the user names another.

    Naming a different model is refused (its vectors would not be comparable) unless
    the command re-encodes everything (``allow_change``) or nothing is encoded yet (a
    first run that failed, e.g. weights that could not be downloaded).
    """
    binding = library.binding
    if model is None and weights is None:
        if binding is not None:
            return parse_source(binding.name, binding.weights)
        return parse_source(None, None)
    spec = parse_source(model or (binding.name if binding else None), weights)
    changed = binding is not None and binding.model_id != spec.model_id
    if changed and not allow_change and library.catalog.count(INDEXED) > 0:
        raise CommandError(
            f"this library was indexed with {binding.name} ({binding.model_id}), not {spec.name}"
            f" ({spec.model_id}); to re-encode every photo run: photosearch reindex --full"
            f" --model {spec.name}" + (f" --weights {weights}" if weights else "")
        )
    return spec


def library_encoder(
    library: Library,
    model: str | None,
    weights: str | None,
    *,
    towers: tuple[str, ...] = TOWERS,
    allow_change: bool = False,
) -> ClipEncoder:
    """The encoder for this library (see :func:`choose_spec`), bound to the library when it
    is writable: every command and the window get their model this way. The encoder loads
    lazily (call ``load()`` to load now)."""
    spec = choose_spec(library, model, weights, allow_change=allow_change)
    binding = library.binding
    if not library.writable:
        if allow_change and binding is not None and binding.model_id != spec.model_id:
            raise CommandError("the library is read-only now; cannot change its model")
        return make_encoder(spec, towers)
    encoder = make_encoder(spec, towers)
    bind(library, encoder)
    return encoder


def make_encoder(spec: ModelSpec, towers: tuple[str, ...] = TOWERS) -> ClipEncoder:
    return ClipEncoder(spec=spec, towers=towers)


def bind(library: Library, encoder: ClipEncoder) -> None:
    spec = encoder.spec
    weights = None if spec.weights == default_weights(spec.name) else spec.weights
    library.bind(ModelBinding(spec.name, weights, encoder.model_id, encoder.dim))


def make_indexer(library: Library, encoder: ClipEncoder, **kwargs) -> Indexer:
    return Indexer(library, encoder, load_image, **kwargs)


def make_search(library: Library, encoder: ClipEncoder) -> SearchService:
    return SearchService(library, encoder, load_image)

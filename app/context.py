"""The composition root: open a library and the encoder that belongs to it."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import CommandError, UsageError
from app.global_options import DEVICE_ENV, device_choice  # noqa: F401
from app.library_location import LIBRARY_ENV, default_library_dir, library_dir  # noqa: F401
from app.model_choice import new_library_model
from app.translation import _
from engine.registry import default_weights, is_demo, parse_source, reads_many_languages
from engine.spec import ModelSpec
from engine.towers import TOWERS
from index.catalog import INDEXED
from index.library import Library, ModelBinding
from index.query_language import CHINESE, foreign_script, language_note
from index.scanner import is_raw

# Imported where used: the model code (torch), the decoders (Pillow, numpy), the OCR engine
# (onnxruntime), so that a command with nothing to encode or read starts without them.
if TYPE_CHECKING:
    from engine.encoder import ClipEncoder
    from index.pipeline import Indexer
    from index.protocols import Encoder
    from index.search import SearchService
    from index.text_pass import TextPass


def folder_paths(raw_paths: list[str]) -> list[str]:
    """Absolute paths of folder arguments; a missing folder is a usage error."""
    folders = []
    for raw in raw_paths:
        path = os.path.abspath(os.path.expanduser(raw))
        if not os.path.isdir(path):
            raise UsageError(_("not a folder: {path}").format(path=raw))
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
    first run that failed, e.g. weights that could not be downloaded). A new library with
    no model named gets :func:`new_library_model`'s (the default, or one for the system's
    language).
    """
    binding = library.binding
    if model is None and weights is None:
        if binding is not None:
            return parse_source(binding.name, binding.weights)
        return parse_source(new_library_model()[0], None)
    spec = parse_source(model or (binding.name if binding else None), weights)
    changed = binding is not None and binding.model_id != spec.model_id
    if changed and not allow_change and library.catalog.count(INDEXED) > 0:
        command = f"photosearch reindex --full --model {spec.name}" + (
            f" --weights {weights}" if weights else ""
        )
        raise CommandError(
            _(
                "this library was indexed with {old} ({old_id}), not {new} ({new_id});"
                " to re-encode every photo run: {command}"
            ).format(
                old=binding.name,
                old_id=binding.model_id,
                new=spec.name,
                new_id=spec.model_id,
                command=command,
            )
        )
    return spec


def new_library_note(library: Library, model: str | None, weights: str | None) -> str | None:
    """The line that says a new library got a model for the system's language, if it did."""
    if library.binding is not None or model is not None or weights is not None:
        return None
    return new_library_model()[1]


def library_encoder(
    library: Library,
    model: str | None,
    weights: str | None,
    *,
    towers: tuple[str, ...] = TOWERS,
    allow_change: bool = False,
    device: str | None = None,
) -> ClipEncoder:
    """The encoder for this library (:func:`choose_encoder`), bound to the library when it
    is writable: every command gets its model this way. It loads lazily (``load()``)."""
    encoder = choose_encoder(
        library, model, weights, towers=towers, allow_change=allow_change, device=device
    )
    note = new_library_note(library, model, weights)
    if note is not None:
        print(f"note: {note}", file=sys.stderr)
    if library.writable:
        bind(library, encoder)
    return encoder


def choose_encoder(
    library: Library,
    model: str | None,
    weights: str | None,
    *,
    towers: tuple[str, ...] = TOWERS,
    allow_change: bool = False,
    device: str | None = None,
) -> ClipEncoder:
    """The encoder :func:`choose_spec` picks, not yet bound (the window binds it once it
    has loaded). A read-only library cannot change its model."""
    spec = choose_spec(library, model, weights, allow_change=allow_change)
    binding = library.binding
    changed = binding is not None and binding.model_id != spec.model_id
    if allow_change and changed and not library.writable:
        raise CommandError(_("the library is read-only now; cannot change its model"))
    return make_encoder(spec, towers, device)


def make_encoder(
    spec: ModelSpec, towers: tuple[str, ...] = TOWERS, device: str | None = None
) -> ClipEncoder:
    """The encoder on ``device`` (:func:`device_choice`; None: ``auto``)."""
    from engine.encoder import ClipEncoder

    return ClipEncoder(spec=spec, towers=towers, device=device_choice(device))


def bind(library: Library, encoder: ClipEncoder) -> None:
    spec = encoder.spec
    weights = None if spec.weights == default_weights(spec.name) else spec.weights
    library.bind(ModelBinding(spec.name, weights, encoder.model_id, encoder.dim))


def decode_photo(path: str | Path, min_side: int | None = None):
    """Any photo the scanner lists as an upright RGB image carrying its facts: a camera
    RAW file through its embedded preview, every other format through Pillow."""
    from engine.images import load_image
    from engine.raw import load_raw

    return (load_raw if is_raw(str(path)) else load_image)(path, min_side)


def read_photo_facts(path: str | Path) -> dict:
    """A photo's facts from its header (no pixel decode): the metadata backfill."""
    from engine.exif import read_facts
    from engine.raw import read_raw_facts

    return (read_raw_facts if is_raw(str(path)) else read_facts)(path)


def query_language_note(encoder: ClipEncoder, text: str) -> str | None:
    """The note for a query in a script the library's model cannot read (None when it can),
    in English: the front end shows it translated (app.messages), in its own language when
    the query service answered."""
    if reads_many_languages(encoder.spec):
        return None
    if is_demo(encoder.spec) and foreign_script(text) == CHINESE:  # bilingual demo models
        return None
    return language_note(text)


def indexer_options(encoder: ClipEncoder) -> dict:
    """Batch size and decode threads for ``encoder``'s device (:mod:`engine.device`)."""
    from engine.device import decode_workers

    return {"batch_size": encoder.batch_size, "workers": decode_workers(encoder.device)}


def make_indexer(library: Library, encoder: ClipEncoder, **kwargs) -> Indexer:
    from index.pipeline import Indexer

    return Indexer(library, encoder, decode_photo, **(indexer_options(encoder) | kwargs))


def make_search(library: Library, encoder: Encoder) -> SearchService:
    """Searches with ``encoder``; the good-match gate's null strings come from the disk cache
    (:mod:`app.null_text_vectors`) once any process has encoded them for this model."""
    from app.null_text_vectors import NullTextVectors
    from index.search import SearchService

    return SearchService(library, encoder, decode_photo, encode_null_texts=NullTextVectors(encoder))


def text_unavailable_reason(load_runtime: bool = True) -> str | None:
    """None when text-in-photo search can run here; otherwise the one-line reason
    (:func:`engine.ocr_engine.unavailable_reason`)."""
    from engine.ocr_engine import unavailable_reason

    return unavailable_reason(load_runtime)


def text_engine_id(load_runtime: bool = True) -> str | None:
    from engine.ocr_engine import engine_id

    return None if text_unavailable_reason(load_runtime) else engine_id()


def text_is_read(library: Library) -> bool:
    """True when the installed OCR engine has read every indexed photo of the folders that
    are online (asked of the catalog and the packages' metadata: the engine is not loaded);
    texts of photos gone are dropped."""
    from app.text_engine_id import installed_engine_id
    from index.text_index import TextIndex

    engine = installed_engine_id(library.catalog)
    if engine is None:
        return False
    index = TextIndex(library.catalog)
    index.prune()
    return not index.pending(engine)


def make_text_pass(library: Library, **kwargs) -> TextPass | None:
    """The OCR pass for this library, or None where the OCR engine is unavailable."""
    from engine.ocr import shared_reader
    from index.text_pass import TextPass

    if text_unavailable_reason() is not None:
        return None
    return TextPass(library, shared_reader(), **kwargs)

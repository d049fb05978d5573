"""`photosearch index` frees the photo model before its OCR pass loads the OCR engine, so the
two never add up in one process's peak memory."""

from __future__ import annotations

import weakref

from cli_support import copy_shared_photos

from app import context
from app.cli import main
from app.commands import indexing


def test_the_photo_model_is_freed_before_the_text_pass(tmp_path, monkeypatch):
    encoders: list[weakref.ref] = []
    make_encoder = context.library_encoder

    def recording(*args, **kwargs):
        encoder = make_encoder(*args, **kwargs)
        encoders.append(weakref.ref(encoder))
        return encoder

    alive_at_text_pass: list[bool] = []
    monkeypatch.setattr(context, "library_encoder", recording)
    monkeypatch.setattr(
        indexing,
        "read_text",
        lambda library: alive_at_text_pass.extend(r() is not None for r in encoders),
    )
    photos = copy_shared_photos(tmp_path / "photos")
    assert (
        main(["--library", str(tmp_path / "library"), "index", str(photos), "--model", "demo"]) == 0
    )
    assert encoders and alive_at_text_pass == [False] * len(encoders)

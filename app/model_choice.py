"""The model a new library starts with when none is named: the default, or, where the
system's language (:func:`app.language.system_language`) is one the default does not
understand (Chinese), a model that does (:func:`engine.registry.model_for_language`),
said in one line."""

from __future__ import annotations

import os
from collections.abc import Mapping

from app.language import LANGUAGES, system_language
from app.translation import _
from engine.registry import model_for_language


def new_library_model(environ: Mapping[str, str] = os.environ) -> tuple[str | None, str | None]:
    """The model name a new library gets (None: the registry's default) and the line that
    says why it is not the default (None when it is)."""
    language = system_language(environ)
    model = model_for_language(language)
    if model is None:
        return None, None
    return model, _(
        "this new library uses {model}, a model that understands the system's language"
        " ({language}); choose another with --model"
    ).format(model=model, language=LANGUAGES[language])

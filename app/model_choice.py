"""The model a new library starts with when none is named: the default, or, where the
system's language is one the default does not understand (Chinese), a model that does
(:func:`engine.registry.model_for_language`), said in one line."""

from __future__ import annotations

import os
from collections.abc import Mapping

from engine.registry import model_for_language

_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX order: the first set one wins
_LANGUAGE_NAMES = {"zh": "Chinese"}


def system_locale(environ: Mapping[str, str] = os.environ) -> str:
    """The messages locale, as POSIX reads it ("zh_CN.UTF-8"; "" when none is set)."""
    return next((environ[name] for name in _LOCALE_VARIABLES if environ.get(name)), "")


def new_library_model(environ: Mapping[str, str] = os.environ) -> tuple[str | None, str | None]:
    """The model name a new library gets (None: the registry's default) and the line that
    says why it is not the default (None when it is)."""
    locale = system_locale(environ)
    model = model_for_language(locale)
    if model is None:
        return None, None
    language = _LANGUAGE_NAMES.get(locale[:2].lower(), locale)
    return model, (
        f"the system language is {language}: this new library uses {model}, a model that"
        f" understands {language} queries (choose another with --model)"
    )

"""Which language the interface speaks, for the window and the command line alike (no Qt).

The override comes first: the environment variable, then the window's setting; else the
system locale, read as gettext reads it (LANGUAGE, then LC_ALL, LC_MESSAGES, LANG). Any
Chinese locale gets the Simplified Chinese translation, the only Chinese one shipped.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

ENGLISH, CHINESE = "en", "zh_CN"
LANGUAGES = {ENGLISH: "English", CHINESE: "简体中文"}  # the translations shipped, by code
LANGUAGE_ENV = "PHOTOSEARCH_LANG"
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def choose_language(setting: str | None = None, environ: Mapping[str, str] = os.environ) -> str:
    """A code in LANGUAGES: PHOTOSEARCH_LANG, else ``setting``, else the system locale."""
    for override in (environ.get(LANGUAGE_ENV), setting):
        found = shipped_language(override or "")
        if found:
            return found
    return system_language(environ)


def system_language(environ: Mapping[str, str] = os.environ) -> str:
    locale = next((environ[name] for name in _LOCALE_VARIABLES if environ.get(name)), "")
    if _base(locale) in ("", "C", "POSIX"):
        return ENGLISH  # GNU gettext ignores LANGUAGE under the C locale; so do we
    for name in [*environ.get("LANGUAGE", "").split(":"), locale]:
        found = shipped_language(name)
        if found:
            return found
    return ENGLISH


def shipped_language(name: str) -> str | None:
    """The shipped code a locale or language name asks for ("zh_CN.UTF-8", "zh", "en_GB")."""
    language = _base(name).replace("-", "_").split("_")[0].lower()
    return next((code for code in LANGUAGES if code.split("_")[0].lower() == language), None)


def _base(locale: str) -> str:
    """``zh_CN.UTF-8@latin`` -> ``zh_CN``."""
    return locale.split(".")[0].split("@")[0].strip()

"""The command line's translations (gettext), also used by the window for shared messages.

Strings are marked with ``_`` (and ``ngettext`` for counts) and looked up when they are
used, never at import, so ``use_language`` at start-up decides every one. The catalogs are
``app/locale/<code>/LC_MESSAGES/photosearch.po`` (the source) and the ``.mo`` compiled
from it; ``python -m app.translations_update`` refreshes both (see docs/TRANSLATING.md).
"""

from __future__ import annotations

import argparse
import gettext
from pathlib import Path

from app.language import choose_language

DOMAIN = "photosearch"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_catalog: gettext.NullTranslations = gettext.NullTranslations()


def use_language(language: str | None = None) -> str:
    """Translate from now on into ``language`` (default: ``choose_language()``); returns it."""
    global _catalog
    language = language or choose_language()
    _catalog = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
    # argparse's own words ("usage:", "options", its errors) go through the names it
    # imported from gettext, which would read the locale themselves: point them here.
    argparse._ = _
    argparse.ngettext = ngettext
    return language


def _(message: str) -> str:
    return _catalog.gettext(message)


def N_(message: str) -> str:
    """Mark a constant for translation; ``_`` translates it where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog.ngettext(singular, plural, n)

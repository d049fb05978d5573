"""The window's language: Qt's translators (our strings and Qt's own dialogs) and gettext.

Widgets and controllers translate with ``self.tr``/``QCoreApplication.translate``
(``app/gui/translations/photosearch_<code>.ts``); plain-Python modules, here and shared
with the command line, with gettext (``app/translation.py``). Both follow one choice.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.language import ENGLISH, choose_language
from app.translation import DOMAIN, use_language

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"

_installed: list[QTranslator] = []


def install_language(setting: str | None = None) -> str:
    """Translate the application into ``choose_language(setting)``; returns the code.

    Call before building widgets: texts are set once, so a change shows at the next start.
    """
    app = QCoreApplication.instance()
    language = use_language(choose_language(setting))
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(QLocale(language))
    if language == ENGLISH:
        return language
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (("qtbase", qt_dir), (DOMAIN, str(TRANSLATIONS_DIR))):
        translator = QTranslator(app)
        if translator.load(f"{name}_{language}", folder):
            app.installTranslator(translator)
            _installed.append(translator)
    return language


def counted(n: int, one: str, many: str, **fields: object) -> str:
    """``one`` or ``many`` (each translated, holding ``{count}``) for ``n`` things.

    English needs the two forms; Chinese translates both alike.
    """
    return (one if n == 1 else many).format(count=number(n), **fields)


def number(n: int) -> str:
    """``n`` with the window's locale's digit grouping ("1,002" in English).

    ``install_language`` sets that locale; before it (or under the "C" locale, which
    groups nothing) the window speaks English, so its numbers do too.
    """
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        locale = QLocale(QLocale.Language.English)
    return locale.toString(n)

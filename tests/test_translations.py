"""Every string the user sees has a Chinese translation, and the compiled catalogs are fresh.

A new string in the code fails here until `python -m app.translations_update` has taken it
into the catalogs and a translator has filled it in (see docs/TRANSLATING.md).
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ElementTree

import pytest

from app import translations_update as catalogs

LANGUAGES = catalogs.TRANSLATED


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_command_line_string_is_translated(language):
    catalog = catalogs.read_po(language)
    app_strings = [m for m in catalogs.extract_template() if m.id and _in_app(m)]
    missing = []
    for message in app_strings:
        entry = catalog.get(message.id)
        strings = entry.string if entry else None
        if isinstance(strings, tuple):
            strings = all(strings) and strings
        if entry is None or not strings or entry.fuzzy:
            missing.append(message.id)
    assert app_strings and not missing, f"untranslated in {language}: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_command_line_catalog_is_fresh(language):
    compiled = catalogs.po_path(language).with_suffix(".mo")
    assert compiled.read_bytes() == catalogs.compiled_mo(catalogs.read_po(language)), (
        "stale .mo: run python -m app.translations_update"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_window_string_is_translated(language, tmp_path):
    ts = tmp_path / catalogs.ts_path(language).name
    shutil.copy(catalogs.ts_path(language), ts)
    catalogs.lupdate(ts)  # the window's strings as the code has them now
    assert ts.read_bytes() == catalogs.ts_path(language).read_bytes(), (
        "the .ts lags the code: run python -m app.translations_update"
    )
    messages = ElementTree.parse(ts).getroot().iter("message")
    untranslated = [
        m.findtext("source")
        for m in messages
        if m.find("translation").get("type") == "unfinished"
        or not "".join(m.find("translation").itertext()).strip()
    ]
    assert not untranslated, f"untranslated in {language}: {untranslated}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_window_catalog_is_fresh(language, tmp_path):
    source = catalogs.ts_path(language)
    catalogs.lrelease(source, tmp_path / "fresh.qm")
    assert (tmp_path / "fresh.qm").read_bytes() == source.with_suffix(".qm").read_bytes(), (
        "stale .qm: run python -m app.translations_update"
    )


def _in_app(message) -> bool:
    return any(not file.endswith("argparse.py") for file, _line in message.locations)

"""The language code an NLLB query is tokenized with, from its script."""

from __future__ import annotations

import pytest

from engine.query_language import QUERY_LANGUAGE_ENV, language_of, script_language


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("海边的狗", "zho_Hans"),
        ("a dog on the beach", "eng_Latn"),
        ("浜辺の犬", "jpn_Jpan"),  # kana beside Han characters: Japanese
        ("해변의 개", "kor_Hang"),
        ("собака на пляже", "rus_Cyrl"),
        ("كلب على الشاطئ", "arb_Arab"),
        ("红色 circle", "zho_Hans"),  # an English word in a Chinese query
        ("2024", "eng_Latn"),  # no letters
    ],
)
def test_a_query_gets_the_language_of_its_script(query, code, monkeypatch):
    monkeypatch.delenv(QUERY_LANGUAGE_ENV, raising=False)
    assert script_language(query) == code
    assert language_of(query) == code


def test_the_environment_overrides_the_guess(monkeypatch):
    monkeypatch.setenv(QUERY_LANGUAGE_ENV, "zho_Hant")
    assert language_of("海边的狗") == language_of("a dog") == "zho_Hant"

"""The language code a query is tokenized with, for text towers that take one (NLLB).

NLLB's tokenizer starts every text with a language token (``zho_Hans``, ``eng_Latn``...).
A query's language is guessed from its script: kana make it Japanese, Hangul Korean, other
Han characters Chinese, Cyrillic Russian, Latin English, and so on; Latin words mixed into
another script ("红色 circle") leave it that script's language. ``$PHOTOSEARCH_QUERY_
LANGUAGE`` (an NLLB code) overrides the guess for every query.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections import Counter
from collections.abc import Sequence

import torch

from engine.errors import PhrasedError

QUERY_LANGUAGE_ENV = "PHOTOSEARCH_QUERY_LANGUAGE"
DEFAULT_LANGUAGE = "eng_Latn"
# the first word of a letter's Unicode name -> the NLLB code of that script's main language
SCRIPT_LANGUAGES = {
    "CJK": "zho_Hans",
    "HIRAGANA": "jpn_Jpan",
    "KATAKANA": "jpn_Jpan",
    "HANGUL": "kor_Hang",
    "LATIN": "eng_Latn",
    "CYRILLIC": "rus_Cyrl",
    "ARABIC": "arb_Arab",
    "GREEK": "ell_Grek",
    "HEBREW": "heb_Hebr",
    "THAI": "tha_Thai",
    "DEVANAGARI": "hin_Deva",
    "BENGALI": "ben_Beng",
    "TAMIL": "tam_Taml",
    "GEORGIAN": "kat_Geor",
    "ARMENIAN": "hye_Armn",
    "ETHIOPIC": "amh_Ethi",
}


class QueryLanguageError(PhrasedError, ValueError):
    """An override that is no language code of the model; ``str(err)`` is the line to show."""


def language_of(text: str) -> str:
    """The NLLB language code for ``text``: the override, else guessed from its script."""
    return os.environ.get(QUERY_LANGUAGE_ENV, "").strip() or script_language(text)


def script_language(text: str) -> str:
    """The language of the script most of ``text``'s letters are in, Latin counting only
    when no other script is there (kana: Japanese, even beside Han characters); English
    when it has no letters."""
    scripts = Counter(_script(ch) for ch in text if ch.isalpha())
    scripts.pop(None, None)
    if scripts["HIRAGANA"] or scripts["KATAKANA"]:
        return SCRIPT_LANGUAGES["HIRAGANA"]
    if len(scripts) > 1:
        scripts.pop("LATIN", None)
    if not scripts:
        return DEFAULT_LANGUAGE
    return SCRIPT_LANGUAGES[scripts.most_common(1)[0][0]]


def _script(ch: str) -> str | None:
    name = unicodedata.name(ch, "").split(" ", 1)[0]
    return name if name in SCRIPT_LANGUAGES else None


class LanguageTokenizer:
    """Wraps an open_clip ``HFTokenizer`` whose tokenizer takes a source language: each text
    is tokenized under its own language code (:func:`language_of`); thread-safe."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer
        self.context_length = tokenizer.context_length
        self._lock = threading.Lock()
        if override := os.environ.get(QUERY_LANGUAGE_ENV, "").strip():
            self._check(override)  # said before any query runs

    def __call__(self, texts: str | Sequence[str], context_length: int | None = None):
        texts = [texts] if isinstance(texts, str) else list(texts)
        rows: list[torch.Tensor | None] = [None] * len(texts)
        by_language: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            by_language.setdefault(language_of(text), []).append(i)
        with self._lock:  # the language is the tokenizer's state
            for code, indices in by_language.items():
                self._set_language(code)
                tokens = self.tokenizer([texts[i] for i in indices], context_length)
                for row, i in zip(tokens, indices, strict=True):
                    rows[i] = row
        if not rows:
            return torch.zeros((0, context_length or self.context_length), dtype=torch.long)
        return torch.stack(rows)

    def _set_language(self, code: str) -> None:
        self._check(code)
        # transformers resets the language to ``src_lang`` on each call: set both
        self.tokenizer.tokenizer.src_lang = code
        self.tokenizer.set_language(code)

    def _check(self, code: str) -> None:
        inner = self.tokenizer.tokenizer
        if inner.convert_tokens_to_ids(code) == inner.unk_token_id:
            raise QueryLanguageError(
                "'{code}' is not a language code of this model (${variable}; e.g."
                " zho_Hans, eng_Latn, jpn_Jpan, kor_Hang, rus_Cyrl)",
                code=code,
                variable=QUERY_LANGUAGE_ENV,
            )

"""One normal form for text read from photos and for queries, so they compare equal.

NFKC folds full-width and half-width forms (Ａ and A, ２３ and 23, ！ and !), casefold
ignores case, and whitespace is dropped because OCR spacing is unreliable ("Gate23" and
"Gate 23" are the same sign) and Chinese has none.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
QUOTES = '"“”「」『』'
# Function words a loose query term ignores (a quoted phrase keeps them).
STOPWORDS = frozenset("the and for with from that this are was not but you your its of".split())


def normalise(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).casefold())


def is_searchable_term(term: str) -> bool:
    """Short Latin words ("a", "on") match too much; short CJK words and numbers do not."""
    if term in STOPWORDS:
        return False
    return len(term) >= 3 or any(not ("a" <= ch <= "z") for ch in term)


def parse_query(text: str) -> tuple[list[str], list[str]]:
    """Split a query into (quoted phrases, loose terms), both normalised.

    ``'"Gate 23" boarding'`` -> (["gate23"], ["boarding"]). Quotes may be ASCII or CJK.
    """
    text = unicodedata.normalize("NFKC", text)
    pattern = "[" + re.escape(QUOTES) + "]"
    parts = re.split(pattern, text)
    phrases, terms = [], []
    for i, part in enumerate(parts):
        if i % 2 == 1 and i < len(parts) - 1:  # between a pair of quotes
            if normalise(part):
                phrases.append(normalise(part))
        else:
            terms.extend(t for t in (normalise(w) for w in part.split()) if t)
    return phrases, [t for t in terms if is_searchable_term(t)]


def without_quotes(text: str) -> str:
    """The query as CLIP should read it."""
    return " ".join(re.sub("[" + re.escape(QUOTES) + "]", " ", text).split())


def contains(lines: list[str], needle: str, *, whole: bool = False) -> bool:
    """Does a line hold ``needle`` (normalised)? Spacing is ignored, and a needle that
    starts with a Latin letter or digit must start a word: "pass" finds "Password",
    "Gate 23" finds "GATE23", but "red" does not find "Bread" nor "23" "123".
    ``whole`` (quoted phrases): it must end a word too, so "Gate 2" is not "Gate 23"."""
    if not needle:
        return False
    bounded = needle[0].isascii() and needle[0].isalnum()
    closed = whole and needle[-1].isascii() and needle[-1].isalnum()
    for line in lines:
        chars, starts, after_word = [], set(), False
        for ch in unicodedata.normalize("NFKC", line).casefold():
            if ch.isspace():
                after_word = False
                continue
            word = _word_char(ch)
            if word and not after_word:
                starts.add(len(chars))
            chars.append(ch)
            after_word = word
        text = "".join(chars)
        at = text.find(needle)
        while at >= 0:
            end = at + len(needle)
            ends_word = end == len(text) or end in starts or not _word_char(text[end])
            if (not bounded or at in starts) and (not closed or ends_word):
                return True
            at = text.find(needle, at + 1)
    return False


def _word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()

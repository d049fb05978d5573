"""Query expressions: ``beach + sunset - people``, ``2:dog + beach``, text with images.

A query is a weighted sum of terms. Each term is a phrase (or, from ``--image`` or a
dropped file, an image); its vector is normalised, multiplied by its signed weight, and
the sum is normalised again (see :func:`combine`). Syntax of the text part:

* ``+`` and ``-`` standing alone between spaces join terms; a hyphen inside a word
  (``black-and-white``) is text, and so is anything inside double quotes
  (``"salt + pepper" - kitchen``).
* ``N:phrase`` weights a term by the positive number ``N`` (``2:dog``, ``0.5: beach``);
  ``10:30`` (a digit right after the colon) is text.
* At least one term must be added; a query cannot only subtract.

Pure: no model, no storage; :class:`QueryError` carries the one-line message for the user.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.error_text import PhrasedError

_WEIGHT = re.compile(r"^(\d+(?:\.\d+)?|\.\d+):(?=\D|$)")


class QueryError(PhrasedError, ValueError):
    """A malformed query expression; ``str(err)`` is the message for the user."""


@dataclass(frozen=True)
class Term:
    """One part of a query: a phrase or an image path, with its signed weight."""

    weight: float
    text: str | None = None
    image: str | None = None


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]

    @property
    def weights(self) -> list[float]:
        return [t.weight for t in self.terms]

    @property
    def texts(self) -> list[str]:
        return [t.text for t in self.terms if t.text is not None]

    @property
    def images(self) -> list[str]:
        return [t.image for t in self.terms if t.image is not None]

    @property
    def is_plain_text(self) -> bool:
        """A single added phrase with weight 1: what a query without operators was."""
        return len(self.terms) == 1 and self.terms[0].text is not None and self.terms[0].weight == 1


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Split into (token, quoted) pairs on whitespace; quoted parts are one token."""
    tokens: list[tuple[str, bool]] = []
    pos = 0
    pattern = re.compile(r'\s+|"([^"]*)"|"|[^\s"]+')
    while pos < len(text):
        match = pattern.match(text, pos)
        assert match is not None
        token = match.group(0)
        if token == '"':
            raise QueryError("unclosed quote in the query: {query}", query=text.strip())
        if match.group(1) is not None:
            tokens.append((match.group(1), True))
        elif not token.isspace():
            tokens.append((token, False))
        pos = match.end()
    return tokens


def _term(words: list[tuple[str, bool]], sign: float, expression: str) -> Term:
    weight = 1.0
    if words and not words[0][1]:
        first = words[0][0]
        match = _WEIGHT.match(first)
        if match:
            weight = float(match.group(1))
            rest = first[match.end() :]
            words = ([(rest, False)] if rest else []) + words[1:]
            if weight == 0:
                raise QueryError(
                    "a weight must be more than 0 (in: {query})", query=expression.strip()
                )
    phrase = " ".join(w for w, _ in words).strip()
    if not phrase:
        raise QueryError(
            'missing text next to "+" or "-" (or after a weight) in: {query}',
            query=expression.strip(),
        )
    return Term(weight=sign * weight, text=phrase)


def parse_query(text: str, images: Sequence[str] = ()) -> Query:
    """The query for ``text`` plus ``images`` (each added with weight 1); see module doc."""
    terms: list[Term] = [Term(weight=1.0, image=path) for path in images]
    if text.strip():
        words: list[tuple[str, bool]] = []
        sign, operator_seen = 1.0, False
        for token, quoted in _tokens(text):
            if not quoted and token in ("+", "-"):
                if words:
                    terms.append(_term(words, sign, text))
                    words = []
                elif operator_seen:
                    raise QueryError("two operators in a row in: {query}", query=text.strip())
                sign, operator_seen = (1.0 if token == "+" else -1.0), True
                continue
            words.append((token, quoted))
        terms.append(_term(words, sign, text))
    if not terms:
        raise QueryError('the query is empty: describe the photo, e.g. "a dog on the beach"')
    if all(t.weight < 0 for t in terms):
        raise QueryError(
            "a query cannot only subtract; add what you want: {query}", query=text.strip()
        )
    return Query(tuple(terms))


def combine(weights: Sequence[float], vectors: np.ndarray) -> np.ndarray:
    """Normalised weighted sum of the (normalised) term vectors, as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    units = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    total = (np.asarray(weights, dtype=np.float32)[:, None] * units).sum(axis=0)
    norm = float(np.linalg.norm(total))
    if norm < 1e-6:
        raise QueryError("the terms of the query cancel out; change a weight or a term")
    return (total / norm).astype(np.float32)

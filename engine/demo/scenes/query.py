"""The query grammar: text -> the set of constraints a matching scene must satisfy.

* object phrase ``[count] [size] [colour] shape``; every word optional, but at least one of
  size/colour/shape. Attributes left out match anything.
* ``a``/``an`` (or no count word) means *at least one* matching object; ``one``, ``two``,
  ``three`` mean *exactly* that many matching objects in the scene; a bare plural
  (``red circles``) or ``several`` means at least two.  So "a red circle" is satisfied by
  "two small red circles", and "two red circles" is not satisfied by "three small red circles".
* ``A left of B`` (also ``right of``, ``above``, ``below``, ``to the left of``, ...) holds
  when the caption states that relation, or its mirror, between an object matching A and
  an object matching B. Groups of identical objects state no relations.
* ``on a striped background``: the background must match; captions that name no background
  have a plain one.
* Chinese, and Chinese words among English ones, say the same (``chinese_query``):
  "两个蓝色方块", "条纹背景上的一颗黄色星星", "红色圆形左边的绿色三角形", "红色 circle".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.demo.scenes.captions import plural_of
from engine.demo.scenes.chinese_query import ChineseQueryError, grammar_words
from engine.demo.scenes.scene import BACKGROUNDS, COLOURS, MIRROR, SHAPES, SIZES, ObjectSpec

# Constraints are hashable tuples:
#   ("object", ObjectSpec, count)    count: None = at least one, "2+" = at least two, or exact int
#   ("relation", ObjectSpec, "left of" | "above", ObjectSpec)
#   ("background", name)
Constraint = tuple

_COUNT_TOKENS: dict[str, int | str | None] = {
    "a": None,
    "an": None,
    "one": 1,
    "two": 2,
    "three": 3,
    "several": "2+",
}
_NOUNS = {s: s for s in SHAPES} | {"shape": None, "object": None, "thing": None}
_PLURALS = {plural_of(n): s for n, s in _NOUNS.items()}
_TEXTURES = {b: b for b in BACKGROUNDS} | {
    "stripy": "striped",
    "stripes": "striped",
    "spotted": "dotted",
    "dots": "dotted",
    "checked": "checkered",
    "checkerboard": "checkered",
    "chequered": "checkered",
}
_RELATION_TOKENS = {
    "left-of": "left of",
    "right-of": "right of",
    "above": "above",
    "below": "below",
}
_REWRITES = (
    (r"\b(?:a|an)\s+(?:photo|picture|image)\s+of\s+", ""),
    (r"\b(?:to|on)\s+the\s+(left|right)\s+of\b", r"\1-of"),
    (r"\b(left|right)\s+of\b", r"\1-of"),
    (r"\bon\s+top\s+of\b", "above"),
    (r"\b(?:over)\b", "above"),
    (r"\b(?:under|beneath|underneath)\b", "below"),
)
_BACKGROUND_RE = re.compile(
    r"(?:\b(?:on|with|against)\s+)?(?:\b(?:an?|the)\s+)?(\S+)\s+background\b"
)


class QueryError(ValueError):
    """The text is not in the scene grammar."""


@dataclass(frozen=True)
class _Phrase:
    count: int | str | None
    spec: ObjectSpec


def _tokens(text: str) -> tuple[list[str], str | None]:
    """Normalised tokens without the background clause, and the background name."""
    try:
        text = grammar_words(text)
    except ChineseQueryError as error:
        raise QueryError(str(error)) from None
    text = re.sub(r"[^a-z\- ]+", " ", text.lower())
    for pattern, repl in _REWRITES:
        text = re.sub(pattern, repl, text)
    background = None
    match = _BACKGROUND_RE.search(text)
    if match:
        if match.group(1) not in _TEXTURES:
            raise QueryError(f"unknown background '{match.group(1)}'")
        background = _TEXTURES[match.group(1)]
        text = text[: match.start()] + " " + text[match.end() :]
    return text.split(), background


def _parse_phrase(words: list[str]) -> _Phrase | None:
    count: int | str | None = None
    fields: dict[str, str | None] = {}
    has_count = plural = False
    for word in words:
        if word in _COUNT_TOKENS and not has_count and not fields:
            count, has_count = _COUNT_TOKENS[word], True
        elif word in SIZES and "size" not in fields:
            fields["size"] = word
        elif word in COLOURS and "colour" not in fields:
            fields["colour"] = word
        elif (word in _NOUNS or word in _PLURALS) and "shape" not in fields:
            plural = word in _PLURALS
            fields["shape"] = _NOUNS.get(word) or _PLURALS.get(word)
        elif word == "the" and not fields:
            continue
        else:
            raise QueryError(f"unexpected word '{word}'")
    if not fields:  # a generic noun alone ("two shapes") is a phrase; an article is not
        if has_count:
            raise QueryError("an object needs a size, colour or shape")
        return None
    if plural and not has_count:
        count = "2+"
    spec = ObjectSpec(fields.get("colour"), fields.get("shape"), fields.get("size"))
    return _Phrase(count, spec)


def parse_phrases(text: str) -> tuple[list[_Phrase], str | None, str | None]:
    """The object phrases of ``text``, its relation (or None) and its background (or None)."""
    words, background = _tokens(text)
    rel_at = [i for i, w in enumerate(words) if w in _RELATION_TOKENS]
    if len(rel_at) > 1:
        raise QueryError("at most one spatial relation is supported")
    if not rel_at:
        phrase = _parse_phrase(words)
        return ([phrase] if phrase else []), None, background
    i = rel_at[0]
    first, second = _parse_phrase(words[:i]), _parse_phrase(words[i + 1 :])
    if first is None or second is None:
        raise QueryError("a relation needs an object on each side")
    if any(p.count not in (None, 1) for p in (first, second)):
        raise QueryError("counts above one are not supported in a spatial relation")
    return [first, second], _RELATION_TOKENS[words[i]], background


def relation_constraint(a: ObjectSpec, relation: str, b: ObjectSpec) -> Constraint:
    """ "a <relation> b" as a constraint, stated one way round for a relation and its mirror."""
    if relation in ("right of", "below"):  # store only "left of" and "above"
        a, relation, b = b, MIRROR[relation], a
    return ("relation", a, relation, b)


def parse_query(text: str) -> frozenset[Constraint]:
    """The set of attribute constraints a matching scene must satisfy (see module doc)."""
    phrases, relation, background = parse_phrases(text)
    constraints: set[Constraint] = set()
    if relation:
        constraints.add(relation_constraint(phrases[0].spec, relation, phrases[1].spec))
        constraints.update(("object", p.spec, 1) for p in phrases if p.count == 1)
    else:
        constraints.update(("object", p.spec, p.count) for p in phrases)
    if background:
        constraints.add(("background", background))
    if not constraints:
        raise QueryError(f"nothing to search for in '{text}'")
    return frozenset(constraints)

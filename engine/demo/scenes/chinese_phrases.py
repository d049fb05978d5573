"""Any statement of the scene grammar said in Chinese, or in a mix of Chinese and English.

"two small red circles on a striped background" -> "条纹背景上的两个小的红色圆形";
"a red circle left of a blue star" -> "一个红色圆形在一颗蓝色星星左边" (canonical) or, with a
random generator, also "一颗蓝色星星左边的一个红色圆形" and other phrasings of the same
meaning. Mixed: "a 红色 circle" (English grammar, some words Chinese).
"""

from __future__ import annotations

import re

import numpy as np

from engine.demo.scenes import chinese_words as zh
from engine.demo.scenes.query import parse_phrases
from engine.demo.scenes.scene import ObjectSpec


def chinese_noun_phrase(count: int | str | None, spec: ObjectSpec, bare: bool = False) -> str:
    """``count``: None (at least one: "一个", or no count word when ``bare``), 1, 2, 3 or "2+"."""
    if count == "2+":
        number = zh.SEVERAL
    elif count is None and bare:
        number = ""
    elif count == 1:  # exactly one ("a" is at least one)
        number = zh.EXACTLY_ONE + zh.measure_word(spec.shape)
    else:
        number = zh.NUMERALS[count or 1] + zh.measure_word(spec.shape)  # type: ignore[index]
    size = zh.SIZE_WORDS[spec.size] if spec.size else ""
    colour = zh.COLOUR_WORDS[spec.colour] if spec.colour else ""
    return number + size + colour + zh.SHAPE_WORDS[spec.shape]


def to_chinese(text: str, rng: np.random.Generator | None = None) -> str:
    """The statement ``text`` (English grammar) in Chinese: the canonical phrasing, or with
    ``rng`` one drawn from several of the same meaning."""
    phrases, relation, background = parse_phrases(text)

    def draw(p: float) -> bool:
        return rng is not None and rng.random() < p

    nouns = [chinese_noun_phrase(p.count, p.spec, bare=draw(0.3)) for p in phrases]
    if relation is None:
        body = nouns[0] if nouns else ""
        if background:
            return f"{zh.BACKGROUND_WORDS[background]}背景上的{body}" if body else ""
        return body
    first, second = nouns
    where = zh.RELATION_WORDS[relation]
    if draw(0.35):  # "B 左边的 A": the A to the left of B
        body = f"{second}{where}的{first}"
    else:
        body = f"{first}在{second}{'的' if draw(0.3) else ''}{where}"
    if background:
        body = f"{zh.BACKGROUND_WORDS[background]}背景上，{body}"
    return body


_COLOUR_RE = re.compile(r"\b(" + "|".join(zh.COLOUR_WORDS) + r")\b")
_SHAPE_RE = re.compile(r"\b(" + "|".join(s for s in zh.SHAPE_WORDS if s) + r")(?:e?s)?\b")


def to_mixed(text: str, rng: np.random.Generator | None = None) -> str:
    """``text`` with its colour words in Chinese ("a 红色 circle"); with ``rng`` each colour and
    shape word is said in Chinese or English at random, with at least one in Chinese."""
    if rng is None:
        return _COLOUR_RE.sub(lambda m: zh.COLOUR_WORDS[m.group(1)], text)
    while True:
        out = _COLOUR_RE.sub(
            lambda m: zh.COLOUR_WORDS[m.group(1)] if rng.random() < 0.5 else m.group(0), text
        )
        out = _SHAPE_RE.sub(
            lambda m: zh.SHAPE_WORDS[m.group(1)] if rng.random() < 0.5 else m.group(0), out
        )
        if out != text or not (_COLOUR_RE.search(text) or _SHAPE_RE.search(text)):
            return out


LANGUAGES = ("en", "zh", "mixed")  # how a query of the scene grammar can be phrased


def phrased(text: str, language: str) -> str:
    """The English statement ``text`` in one of ``LANGUAGES`` (canonical phrasing)."""
    return {"en": text, "zh": to_chinese(text), "mixed": to_mixed(text)}[language]

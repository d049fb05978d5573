"""Chinese (and mixed Chinese/English) queries in the English grammar's words.

"条纹背景上的两个蓝色方块" -> "two blue square on a striped background";
"红色圆形在蓝色星星左边" and "蓝色星星左边的红色圆形" -> "red circle left-of blue star";
"红色 circle" -> "red circle". Chinese words are found by longest match against the
lexicon of ``chinese_words``; words in Latin letters pass through to the English grammar.
"""

from __future__ import annotations

import re
from functools import lru_cache

from engine.demo.scenes import chinese_words as zh

_CJK = re.compile(r"[\u3400-\u9fff]")
_AT = "@at"  # 在: "A 在 B 左边" is "A left of B"
_RELATION = "@"  # prefix of a relation marker: "@left-of"
_FILLERS = ("的", "位于", "处于", "一张", "一幅", "照片", "图片", "画面", "图像", "有")


class ChineseQueryError(ValueError):
    """The Chinese text is not in the scene grammar."""


def has_chinese(text: str) -> bool:
    return bool(_CJK.search(text))


def _pairs(canonical: dict, synonyms: dict) -> list[tuple[str, object]]:
    return [(w, key) for key, w in canonical.items()] + [
        (w, key) for key, words in synonyms.items() for w in words
    ]


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, str]:
    """Chinese word -> the English grammar's word (or a marker)."""
    out: dict[str, str] = {}
    for word, colour in _pairs(zh.COLOUR_WORDS, zh.COLOUR_SYNONYMS):
        out[word] = str(colour)
    for word, shape in _pairs(zh.SHAPE_WORDS, zh.SHAPE_SYNONYMS):
        out[word] = str(shape or "shape")
    for word, size in _pairs(zh.SIZE_WORDS, zh.SIZE_SYNONYMS):
        out[word] = str(size)
    for word, relation in _pairs(zh.RELATION_WORDS, zh.RELATION_SYNONYMS):
        out[word] = _RELATION + str(relation).replace(" ", "-")
    count_words = {1: "one", 2: "two", 3: "three"}
    for word, n in _pairs(zh.NUMERALS, zh.NUMERAL_SYNONYMS):
        # "一个" is "a" (at least one), as a bare noun is; "单个" means exactly one.
        count = "a" if n == 1 else count_words[int(n)]  # type: ignore[call-overload]
        out[word] = count
        for measure in zh.MEASURE_SYNONYMS:
            out[word + measure] = count
    for measure in zh.MEASURE_SYNONYMS:
        out[zh.EXACTLY_ONE + measure] = "one"
    for word in (zh.SEVERAL, *zh.SEVERAL_SYNONYMS):
        out[word] = "several"
    for word in (*zh.MEASURE_SYNONYMS, *_FILLERS):
        out.setdefault(word, "")
    out["在"] = _AT
    return out


@lru_cache(maxsize=1)
def _background_re() -> re.Pattern:
    words = dict(_pairs(zh.BACKGROUND_WORDS, zh.BACKGROUND_SYNONYMS))
    names = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"在?(?:({names})|(\S*?))背景(?:上|中|里)?(?:的)?")


def _background(text: str) -> tuple[str, str | None]:
    """The text without its background clause, and the background's English name."""
    match = _background_re().search(text)
    if match is None:
        return text, None
    if match.group(1) is None:
        raise ChineseQueryError(f"unknown background '{match.group(2)}背景'")
    words = dict(_pairs(zh.BACKGROUND_WORDS, zh.BACKGROUND_SYNONYMS))
    return text[: match.start()] + " " + text[match.end() :], str(words[match.group(1)])


def _words(text: str) -> list[str]:
    """Grammar words and markers, by longest match; Latin words pass through."""
    lexicon = _lexicon()
    longest = max(map(len, lexicon))
    out: list[str] = []
    i = 0
    while i < len(text):
        if not _CJK.match(text[i]):
            latin = re.match(r"[^\u3400-\u9fff]+", text[i:])
            out += latin.group(0).split() if latin else []
            i += latin.end() if latin else 1
            continue
        for n in range(min(longest, len(text) - i), 0, -1):
            if text[i : i + n] in lexicon:
                if lexicon[text[i : i + n]]:
                    out.append(lexicon[text[i : i + n]])
                i += n
                break
        else:
            raise ChineseQueryError(f"unexpected word '{text[i]}'")
    return out


def _ordered(words: list[str]) -> list[str]:
    """A Chinese relation in English order: "A 在 B 左边" and "B 左边 A" -> "A left-of B"."""
    relations = [i for i, w in enumerate(words) if w.startswith(_RELATION) and w != _AT]
    if not relations:
        return [w for w in words if w != _AT]
    if len(relations) > 1:
        raise ChineseQueryError("at most one spatial relation is supported")
    i = relations[0]
    relation = words[i][len(_RELATION) :]
    if _AT in words[:i]:
        at = words.index(_AT)
        first, second, rest = words[:at], words[at + 1 : i], words[i + 1 :]
        if rest:
            raise ChineseQueryError(f"unexpected words after '{relation}'")
    else:
        first, second = words[i + 1 :], words[:i]
    return [*first, relation, *second]


def grammar_words(text: str) -> str:
    """``text`` with its Chinese said in the English grammar's words (unchanged without any)."""
    if not has_chinese(text):
        return text
    text = re.sub(r"[，。、,.!！?？：:；;]", " ", text)
    text, background = _background(text)
    words = _ordered(_words(text))
    if background:
        words += ["on", "a", background, "background"]
    return " ".join(words)

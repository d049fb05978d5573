"""Chinese and mixed Chinese/English queries of the demo scenes: they mean what the English
query means, so results can be checked against the (English) captions."""

from __future__ import annotations

import numpy as np
import pytest

from engine.demo.scenes.chinese_phrases import to_chinese, to_mixed
from engine.demo.scenes.held_out import held_out_queries
from engine.demo.scenes.matching import caption_satisfies
from engine.demo.scenes.query import QueryError, parse_query
from engine.demo.training.bank import statement_bank


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("两个蓝色方块", "two blue squares"),
        ("条纹背景上的一颗黄色星星", "a yellow star on a striped background"),
        ("红色圆形左边的绿色三角形", "a green triangle left of a red circle"),
        ("绿色三角形在红色圆形的左边", "a green triangle left of a red circle"),
        (
            "格子背景上，一个大的紫色十字在一颗小的橙色星星下面",
            "a large purple cross below a small orange star on a checkered background",
        ),
        ("三个小的红色圆形", "three small red circles"),
        ("多个蓝色图形", "blue shapes"),
        ("单个红色圆形", "one red circle"),
        ("红色 circle", "a red circle"),
        ("two 蓝色 方块", "two blue squares"),
        ("a 红色 circle left of a 蓝色 star", "a red circle left of a blue star"),
    ],
)
def test_a_chinese_query_means_what_the_english_one_does(chinese, english):
    assert parse_query(chinese) == parse_query(english)


def test_every_statement_the_generator_makes_reads_the_same_in_chinese_and_mixed():
    rng = np.random.default_rng(3)
    for text in held_out_queries() + statement_bank()[::7]:
        wanted = parse_query(text)
        for other in (to_chinese(text), to_chinese(text, rng), to_mixed(text), to_mixed(text, rng)):
            assert parse_query(other) == wanted, (text, other)


def test_chinese_captions_are_compositional():
    assert to_chinese("two blue squares") == "两个蓝色方块"
    assert to_chinese("a yellow star on a striped background") == "条纹背景上的一颗黄色星星"
    assert to_chinese("a small red circle left of a large green triangle") == (
        "一个小的红色圆形在一个大的绿色三角形左边"
    )
    assert to_mixed("a red circle") == "a 红色 circle"


def test_a_chinese_query_is_checked_against_english_captions():
    assert caption_satisfies("two small blue squares on a dotted background", "两个蓝色方块")
    assert not caption_satisfies("three small blue squares", "两个蓝色方块")
    assert caption_satisfies(
        "a large red circle right of a small green triangle", "红色圆形左边的绿色三角形"
    )
    assert not caption_satisfies(
        "a large red circle left of a small green triangle", "红色圆形左边的绿色三角形"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("两个蓝色汽车", "unexpected word '汽'"),
        ("木纹背景上的红色圆形", "unknown background '木纹背景'"),
        ("红色圆形在蓝色方块左边上面", "at most one spatial relation"),
    ],
)
def test_chinese_outside_the_grammar_is_a_one_line_error(query, message):
    with pytest.raises(QueryError, match=message):
        parse_query(query)

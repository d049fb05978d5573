"""The Chinese words of the scene grammar: the canonical word for each English one (what
Chinese captions say) and the other words a query may use for it."""

from __future__ import annotations

from engine.demo.scenes.scene import BACKGROUNDS, COLOURS, RELATIONS, SHAPES, SIZES

COLOUR_WORDS = {
    "red": "红色",
    "orange": "橙色",
    "yellow": "黄色",
    "green": "绿色",
    "blue": "蓝色",
    "purple": "紫色",
}
SHAPE_WORDS = {
    "circle": "圆形",
    "square": "方块",
    "triangle": "三角形",
    "star": "星星",
    "cross": "十字",
    None: "图形",  # "shape": any shape
}
SIZE_WORDS = {"small": "小的", "large": "大的"}
BACKGROUND_WORDS = {"plain": "纯色", "striped": "条纹", "dotted": "圆点", "checkered": "格子"}
RELATION_WORDS = {"left of": "左边", "right of": "右边", "above": "上面", "below": "下面"}
NUMERALS = {1: "一", 2: "两", 3: "三"}
EXACTLY_ONE = "单"  # "单个": exactly one
MEASURE_WORDS = {"star": "颗"}  # others take 个
DEFAULT_MEASURE = "个"
SEVERAL = "多个"  # at least two

# Query words beyond the canonical ones, by what they mean.
COLOUR_SYNONYMS = {
    "red": ("红",),
    "orange": ("橙", "橘色", "橘黄色"),
    "yellow": ("黄",),
    "green": ("绿",),
    "blue": ("蓝",),
    "purple": ("紫",),
}
SHAPE_SYNONYMS = {
    "circle": ("圆", "圆圈", "圆盘"),
    "square": ("正方形", "方形", "方框"),
    "triangle": ("三角",),
    "star": ("五角星", "星形", "星"),
    "cross": ("十字形", "十字架", "加号"),
    None: ("形状", "东西", "物体"),
}
SIZE_SYNONYMS = {"small": ("小",), "large": ("大",)}
BACKGROUND_SYNONYMS = {
    "plain": ("素色", "单色", "纯"),
    "striped": ("条纹状", "斜纹"),
    "dotted": ("波点", "点点", "点状"),
    "checkered": ("棋盘格", "方格", "格纹", "棋盘"),
}
RELATION_SYNONYMS = {
    "left of": ("左侧", "左面", "左方"),
    "right of": ("右侧", "右面", "右方"),
    "above": ("上方", "上边"),
    "below": ("下方", "下边"),
}
NUMERAL_SYNONYMS = {2: ("二", "2"), 3: ("3",)}
MEASURE_SYNONYMS = ("个", "颗", "只", "枚", "块")
SEVERAL_SYNONYMS = ("几个", "一些", "好几个", "许多")

assert set(COLOUR_WORDS) == set(COLOURS) and set(SHAPE_WORDS) - {None} == set(SHAPES)
assert set(SIZE_WORDS) == set(SIZES) and set(BACKGROUND_WORDS) == set(BACKGROUNDS)
assert set(RELATION_WORDS) == set(RELATIONS)


def measure_word(shape: str | None) -> str:
    return MEASURE_WORDS.get(shape or "", DEFAULT_MEASURE)

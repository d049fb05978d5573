"""Captions: compositional and always fully specified::

two small red circles on a striped background
a large blue square left of a small yellow star
"""

from __future__ import annotations

from engine.demo.scenes.scene import COUNT_WORDS, Scene


def plural_of(noun: str) -> str:
    """ "circle" -> "circles", "cross" -> "crosses"."""
    return noun + ("es" if noun.endswith(("s", "x")) else "s")


def noun_phrase(count: str, colour: str | None, shape: str | None, size: str | None = None) -> str:
    """``count`` is "a", "one", "two", "three" or "" (bare plural)."""
    plural = count in ("two", "three", "")
    noun = shape or "shape"
    words = [w for w in (size, colour, plural_of(noun) if plural else noun) if w]
    if count == "a":
        return ("an " if words[0][0] in "aeiou" else "a ") + " ".join(words)
    return " ".join([count, *words] if count else words)


def background_suffix(background: str) -> str:
    return f" on a {background} background"


def caption(scene: Scene) -> str:
    """The full caption: every object's count, size, colour and shape, relation, background."""
    if scene.relation is None:
        first = scene.objects[0]
        text = noun_phrase(COUNT_WORDS[len(scene.objects)], first.colour, first.shape, first.size)
    else:
        a, b = scene.objects
        text = (
            f"{noun_phrase('a', a.colour, a.shape, a.size)} {scene.relation} "
            f"{noun_phrase('a', b.colour, b.shape, b.size)}"
        )
    if scene.background != "plain":
        text += background_suffix(scene.background)
    return text

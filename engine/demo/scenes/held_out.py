"""The held-out evaluation set: 120 fixed queries and eval-split scenes drawn for them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine.demo.scenes.captions import background_suffix, noun_phrase
from engine.demo.scenes.generate import choice, scene_for_query
from engine.demo.scenes.scene import BACKGROUNDS, COLOURS, RELATIONS, SHAPES, SIZES, Scene
from engine.demo.scenes.split import EVAL_STREAM

FEATURED_EVERY = 10  # held_out_scenes(featured=...): one scene in ten is a featured query's
_QUERY_SEED = 31337


def held_out_queries() -> list[str]:
    """120 fixed evaluation queries: colour+shape, count, background, size and relations."""
    rng = np.random.default_rng(_QUERY_SEED)
    combos = [(c, s) for c in COLOURS for s in SHAPES]
    queries = [noun_phrase("a", c, s) for c, s in combos]

    def pick(n: int) -> list[tuple[str, str]]:
        return [combos[i] for i in rng.permutation(len(combos))[:n]]

    queries += [noun_phrase(choice(rng, ("two", "three")), c, s) for c, s in pick(20)]
    queries += [
        noun_phrase("a", c, s) + background_suffix(choice(rng, BACKGROUNDS[1:]))
        for c, s in pick(20)
    ]
    queries += [noun_phrase("a", c, s, choice(rng, SIZES)) for c, s in pick(20)]
    while len(queries) < 120:
        (ca, sa), (cb, sb) = pick(2)
        if (ca, sa) != (cb, sb):
            relation = choice(rng, RELATIONS)
            text = f"{noun_phrase('a', ca, sa)} {relation} {noun_phrase('a', cb, sb)}"
            if text not in queries:
                queries.append(text)
    assert len(set(queries)) == len(queries)
    return queries


def held_out_scenes(count: int, seed: int = 0, featured: Sequence[str] = ()) -> list[Scene]:
    """``count`` eval-split scenes; image i is drawn to satisfy held-out query i mod 120.

    Cycling through the queries guarantees every query relevant images (>= 10 each for
    1,200 scenes); every other scene of the set is a distractor for it. With ``featured``
    queries (a demo's example searches), every tenth scene is drawn for one of them instead,
    so each has several matching photos even in a small folder.
    """
    rng = np.random.default_rng([EVAL_STREAM, seed])
    queries = held_out_queries()
    order: list[int] = []
    scenes = []
    for i in range(count):
        if featured and i % FEATURED_EVERY == 0:
            query = featured[(i // FEATURED_EVERY) % len(featured)]
            scenes.append(scene_for_query(query, rng, split="eval"))
            continue
        if not order:
            order = list(rng.permutation(len(queries)))
        scenes.append(scene_for_query(queries[order.pop()], rng, split="eval"))
    return scenes

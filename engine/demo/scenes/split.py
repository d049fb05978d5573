"""The held-out split and the random streams.

Every scene has a key (a hash of its caption and quantised layout); ``scene_split`` puts 1
in 8 keys in "eval". Training draws only "train" scenes and the benchmark/demo only "eval"
scenes, from separate random streams, so no scene (not even one with the same caption and
nearly the same layout) is in both.
"""

from __future__ import annotations

import hashlib

from engine.demo.scenes.captions import caption
from engine.demo.scenes.scene import Scene

EVAL_BUCKETS = 8  # 1 in 8 scene keys is held out for evaluation
TRAIN_STREAM = 1  # first seed word of every training batch's generator
EVAL_STREAM = 2  # first seed word of the held-out scenes' and demo folders' generators


def scene_key(scene: Scene) -> str:
    """Identity of a scene: caption plus layout quantised to 1/20 of the stage."""
    layout = [(round(t.x * 20), round(t.y * 20)) for t in scene.objects]
    return hashlib.sha1(f"{caption(scene)}|{layout}".encode()).hexdigest()


def scene_split(scene: Scene) -> str:
    """ "eval" for 1 in ``EVAL_BUCKETS`` scene keys, else "train"."""
    return "eval" if int(scene_key(scene)[:8], 16) % EVAL_BUCKETS == 0 else "train"

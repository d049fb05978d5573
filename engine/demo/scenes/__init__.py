"""Procedurally rendered, captioned scenes: the world the demo models are trained on.

``scene`` (vocabulary and types), ``captions`` (the words for a scene), ``query`` (the
query grammar), ``matching`` (which captions satisfy a query), ``layout`` and ``generate``
(random scenes), ``split`` (train/eval), ``variations`` and ``statements`` (training
contrasts), ``render`` (pixels), ``held_out`` (the evaluation queries and scenes),
``folder`` (a demo folder on disk) and ``captions_csv`` (its ``file,caption`` file).
"""

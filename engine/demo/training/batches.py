"""The training data: batches of rendered scenes with statements and their targets."""

from __future__ import annotations

import time

import numpy as np
import torch
from open_clip.transform import PreprocessCfg, image_transform_v2

from engine.demo import configs
from engine.demo.scenes.generate import random_scene
from engine.demo.scenes.matching import scene_constraints
from engine.demo.scenes.query import parse_query
from engine.demo.scenes.render import render_scene
from engine.demo.scenes.scene import Scene
from engine.demo.scenes.split import TRAIN_STREAM, scene_split
from engine.demo.scenes.statements import random_statement, relation_near_misses
from engine.demo.scenes.variations import perturb, reflected
from engine.demo.training.bank import BankTruth
from engine.demo.training.layout_probe import layout_labels


class SceneBatches(torch.utils.data.Dataset):
    """Batch ``i`` = (images, tokens, positives, bank positives or None, layout labels, render
    CPU seconds), a pure function of (seed, i) but for the timing."""

    def __init__(
        self,
        model_name: str,
        image_size: int,
        batch: int,
        family: int,
        seed: int,
        bank: list[str] | None = None,
        twins: float = 0.0,
        near_misses: bool = False,
    ):
        self.tokenizer = configs.get_tokenizer(model_name)
        self.preprocess = image_transform_v2(PreprocessCfg(size=image_size), is_train=False)
        self.image_size, self.batch, self.family, self.seed = image_size, batch, family, seed
        self.bank = BankTruth(bank) if bank else None
        self.twins, self.near_misses = twins, near_misses

    def __len__(self) -> int:
        return 1 << 30

    def scenes(self, rng: np.random.Generator) -> list[Scene]:
        out: list[Scene] = []
        while len(out) < self.batch:
            base = random_scene(rng, split="train")
            family = [base]
            if self.twins and base.relation and rng.random() < self.twins:
                twin = reflected(base)  # differs from base in the relation only
                if scene_split(twin) == "train":
                    family.append(twin)
            while len(family) < self.family:
                family.append(perturb(base, rng, split="train"))
            out += family
        return out[: self.batch]

    def __getitem__(self, index: int):
        cpu = time.process_time()
        rng = np.random.default_rng([TRAIN_STREAM, self.seed, index])
        batch = self.scenes(rng)
        texts = [random_statement(s, rng) for s in batch]
        if self.near_misses:
            texts += [t for s in batch for t in relation_near_misses(s, rng)]
        images = []
        for scene in batch:
            # Vary the render scale around 2x the input so the model sees different amounts
            # of down-sampling blur, as it does from photos of different sizes.
            side = int(rng.integers(self.image_size * 3 // 2, self.image_size * 2 + 1))
            images.append(self.preprocess(render_scene(scene, (side, side))))
        holds = [scene_constraints(s) for s in batch]
        wanted = [parse_query(t) for t in texts]
        positives = torch.tensor([[w <= h for w in wanted] for h in holds], dtype=torch.bool)
        tokens = self.tokenizer(texts)
        bank_positives = None
        if self.bank is not None:
            bank_positives = torch.from_numpy(np.stack([self.bank.holds(h) for h in holds]))
        layout = torch.tensor([layout_labels(s) for s in batch], dtype=torch.long)
        return (
            torch.stack(images),
            tokens,
            positives,
            bank_positives,
            layout,
            time.process_time() - cpu,
        )


def render_worker_init(_: int) -> None:
    """Each rendering process uses one thread (they run beside the training process)."""
    torch.set_num_threads(1)

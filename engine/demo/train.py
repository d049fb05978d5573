"""Train a demo CLIP on freshly rendered scenes (contrastive, multi-positive).

    .venv/bin/python -m engine.demo.train --model vit [--out assets/models/demo-vit.pt]

Every batch is rendered from its own seed (stream 1, see ``engine.demo.scenes``), so the data
order is fixed and independent of worker timing. A batch holds families of scenes that differ
in one described attribute (hard negatives), one true statement per scene, and the targets
are every image/text pair in the batch for which the statement holds (so "a red circle" is
a positive for all red-circle images of the batch, not just the one it was written for).

Which way round two objects are needs more than that (see ``LayoutProbe``): half the pair
scenes come with their mirror-image twin, every pair with false statements that name both of
its objects (``scenes.relation_near_misses``), and the image embedding must also say, through
a linear probe, which object is left/right or above/below, the background and the arrangement.

Images are rendered at a square size near twice the model's input and passed through the
model's own open_clip preprocess, which is what the product does to the central square of a
decoded photo.

The ViT learns from the trained ResNet (see ``Distiller``) and, beyond the batch's own
statements, from a fixed bank of about 5,000 statements (``statement_bank``): it ranks
them as the ResNet does (``rank_distillation``) and as the scene's truth says
(``multi_positive_loss`` over the bank). A ViT learns small shapes slowly; these dense,
exact targets are what let it get far in the time budget. Small batches (64) help it for
the same reason: at equal compute, more optimizer steps.
"""

from __future__ import annotations

import os

# Idle OpenMP threads sleep instead of spinning: on a shared 2-core machine spinning threads
# take CPU from the renderer process and from each other. Must be set before torch loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from open_clip.transform import PreprocessCfg, image_transform_v2  # noqa: E402

from engine.demo import configs, scenes  # noqa: E402
from engine.demo.configs import DEMO_MODELS  # noqa: E402

TRAIN_STREAM = 1  # eval/demo scenes use stream 2

# Per-architecture schedule, sized for 9-12 minutes on 2 CPU cores. twins = share of pair
# scenes shown with their mirror image; near_misses = false statements naming both objects of
# a pair. Loss weights: layout = the LayoutProbe; (ViT) distill = embedding distance to the
# teacher's, dense = feature maps, rank = ranking of the statement bank like the teacher's,
# truth = ranking of the bank by what holds.
SETTINGS: dict[str, dict] = {
    "vit": {
        "steps": 1900,
        "batch": 64,
        "lr": 1.5e-3,
        "family": 4,
        "teacher": "resnet",
        "distill": 1,
        "dense": 1,
        "rank": 4,
        "truth": 4,
        "twins": 0.5,
        "near_misses": True,
        "layout": 3,
    },
    "resnet": {
        "steps": 700,
        "batch": 256,
        "lr": 2e-3,
        "family": 4,
        "twins": 0.5,
        "near_misses": True,
        "layout": 1,
    },
}


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

    def scenes(self, rng: np.random.Generator) -> list[scenes.Scene]:
        out: list[scenes.Scene] = []
        while len(out) < self.batch:
            base = scenes.random_scene(rng, split="train")
            family = [base]
            if self.twins and base.relation and rng.random() < self.twins:
                twin = scenes.reflected(base)  # differs from base in the relation only
                if scenes.scene_split(twin) == "train":
                    family.append(twin)
            while len(family) < self.family:
                family.append(scenes.perturb(base, rng, split="train"))
            out += family
        return out[: self.batch]

    def __getitem__(self, index: int):
        cpu = time.process_time()
        rng = np.random.default_rng([TRAIN_STREAM, self.seed, index])
        batch = self.scenes(rng)
        texts = [scenes.random_statement(s, rng) for s in batch]
        if self.near_misses:
            texts += [t for s in batch for t in scenes.relation_near_misses(s, rng)]
        images = []
        for scene in batch:
            # Vary the render scale around 2x the input so the model sees different amounts
            # of down-sampling blur, as it does from photos of different sizes.
            side = int(rng.integers(self.image_size * 3 // 2, self.image_size * 2 + 1))
            images.append(self.preprocess(scenes.render_scene(scene, (side, side))))
        holds = [scenes.scene_constraints(s) for s in batch]
        wanted = [scenes.parse_query(t) for t in texts]
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


_COLOUR_INDEX = {c: i for i, c in enumerate(scenes.COLOURS)}
_SHAPE_INDEX = {s: i for i, s in enumerate(scenes.SHAPES)}
# background; one, two or three identical objects or a pair; then (left/right, top/bottom
# axis) x (first, second object along it) x (colour, shape)
_ARRANGEMENTS = 4
_LAYOUT_CLASSES = [len(scenes.BACKGROUNDS), _ARRANGEMENTS]
_LAYOUT_CLASSES += [len(_COLOUR_INDEX), len(_SHAPE_INDEX)] * 4
_NO_LABEL = -100


def layout_labels(scene: scenes.Scene) -> list[int]:
    """The scene's background and arrangement (how many identical objects, or a pair), and the
    colour and shape of a pair's first (left or top) and second object along its relation's
    axis; ``_NO_LABEL`` for the other axis and for groups."""
    labels = [_NO_LABEL] * len(_LAYOUT_CLASSES)
    labels[0] = scenes.BACKGROUNDS.index(scene.background)
    labels[1] = _ARRANGEMENTS - 1 if scene.relation else len(scene.objects) - 1
    if scene.relation is None:
        return labels
    first, second = scene.objects
    if scene.relation in ("right of", "below"):
        first, second = second, first
    axis = 2 if scene.relation in ("left of", "right of") else 6
    for k, thing in enumerate((first, second)):
        labels[axis + 2 * k] = _COLOUR_INDEX[thing.colour]
        labels[axis + 2 * k + 1] = _SHAPE_INDEX[thing.shape]
    return labels


class LayoutProbe(torch.nn.Module):
    """Linear read-out from the image embedding of which object is where, the background and
    the arrangement (training only).

    Contrastive learning alone leaves a pair and its mirror image with nearly the same
    embedding, and "A left of B" with nearly the same text embedding as "A right of B": each
    tower's gradient towards telling them apart is proportional to the other tower already
    doing so. This probe makes the image tower encode the layout directly; the contrastive
    loss then teaches the text tower to read it. The probe also reads out the background and
    the arrangement: without them, textures and then counts lose out to the layout
    (background precision@10 0.87 -> 0.45, count 0.97 -> 0.87; docs/BENCHMARKS.md).
    """

    def __init__(self, embed_dim: int) -> None:
        super().__init__()
        self.linear = torch.nn.Linear(embed_dim, sum(_LAYOUT_CLASSES))

    def forward(self, features: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        logits = self.linear(features * features.shape[-1] ** 0.5)
        loss, count = logits.new_zeros(()), 0
        for k, part in enumerate(logits.split(_LAYOUT_CLASSES, dim=1)):
            wanted = labels[:, k]
            if (wanted != _NO_LABEL).any():
                loss = loss + F.cross_entropy(part, wanted, ignore_index=_NO_LABEL)
                count += 1
        return loss / max(count, 1)


class BankTruth:
    """Which statements of a fixed bank hold for a scene, from its constraint set."""

    def __init__(self, texts: list[str]):
        wanted = [scenes.parse_query(t) for t in texts]
        self.sizes = np.array([len(w) for w in wanted])
        by_constraint: dict[scenes.Constraint, list[int]] = {}
        for i, constraints in enumerate(wanted):
            for c in constraints:
                by_constraint.setdefault(c, []).append(i)
        self.by_constraint = {c: np.array(ids) for c, ids in by_constraint.items()}

    def holds(self, facts: frozenset) -> np.ndarray:
        met = np.zeros(len(self.sizes), np.int32)
        for c in facts:
            ids = self.by_constraint.get(c)
            if ids is not None:
                met[ids] += 1
        return met == self.sizes


def multi_positive_loss(
    image_features: torch.Tensor,
    text_features: torch.Tensor,
    logit_scale: torch.Tensor,
    positives: torch.Tensor,
) -> torch.Tensor:
    """Symmetric CLIP cross-entropy with targets spread over every true image/text pair.

    Every image must have a true text. Texts true of no image (a statement bank's, not a
    batch's own) are left out of the text-to-image direction.
    """
    logits = logit_scale * image_features @ text_features.T
    targets = positives.float()
    loss_i = -(targets / targets.sum(1, keepdim=True) * F.log_softmax(logits, 1)).sum(1).mean()
    present = targets.sum(0) > 0
    logits, targets = logits[:, present], targets[:, present]
    loss_t = -(targets / targets.sum(0, keepdim=True) * F.log_softmax(logits, 0)).sum(0).mean()
    return (loss_i + loss_t) / 2


def _param_groups(model: torch.nn.Module, weight_decay: float) -> list[dict]:
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        flat = p.ndim < 2 or "bn" in name or "ln" in name or "logit_scale" in name
        (no_decay if flat or "embedding" in name else decay).append(p)
    return [
        {"params": decay, "weight_decay": weight_decay},
        {"params": no_decay, "weight_decay": 0},
    ]


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)


def _worker_init(_: int) -> None:
    torch.set_num_threads(1)


class Distiller(torch.nn.Module):
    """Teacher signals for a ViT student: global embedding and per-location feature maps.

    The teacher is a trained demo ResNet. Its text tower is copied into the student and
    locked; the student's image tower learns from the contrastive loss plus (a) the cosine
    distance of its embedding to the teacher's and (b) the cosine distance of linear maps of
    its block-2 and block-4 token grids to the teacher's layer2 (8x8) and layer3 (4x4)
    feature maps, and (c) once ``bank`` is set, the divergence of its ranking of the
    statement bank from the teacher's. The dense term hands the ViT local shape features,
    which it is slow to discover on its own; the linear heads are used in training only.
    """

    bank: torch.Tensor | None = None  # statement embeddings (frozen text tower)
    scale: float = 1.0  # logit scale for the rankings

    def __init__(self, teacher_kind: str, path: Path, student: torch.nn.Module) -> None:
        super().__init__()
        teacher = configs.create_model(DEMO_MODELS[teacher_kind][0], pretrained=str(path))
        teacher.eval().requires_grad_(False)
        text_state = {k: v for k, v in teacher.state_dict().items() if not k.startswith("visual.")}
        student.load_state_dict(text_state, strict=False)
        for name, p in student.named_parameters():
            p.requires_grad_(name.startswith("visual."))
        self.teacher = teacher.visual
        width = student.visual.transformer.width
        self.blocks = [
            student.visual.transformer.layers // 2 - 1,
            student.visual.transformer.layers - 1,
        ]
        channels = [
            self.teacher.layer2[-1].conv3.out_channels,
            self.teacher.layer3[-1].conv3.out_channels,
        ]
        self.heads = torch.nn.ModuleList(torch.nn.Conv2d(width, c, 1) for c in channels)

    def train(self, mode: bool = True) -> Distiller:
        super().train(mode)
        self.teacher.eval()  # batch-norm statistics stay the teacher's
        return self

    @torch.no_grad()
    def _teacher(self, images: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        v = self.teacher
        x = v.layer1(v.stem(images))
        maps = [v.layer2(x)]
        maps.append(v.layer3(maps[0]))
        return F.normalize(v.attnpool(v.layer4(maps[1])), dim=-1), maps

    def __call__(self, student: torch.nn.Module, images: torch.Tensor):
        """(normalised student image features, global distance, dense distance, ranking)."""
        out = student.visual.forward_intermediates(images, indices=self.blocks)
        features = F.normalize(out["image_features"], dim=-1)
        target, maps = self._teacher(images)
        distance = 1 - (features * target).sum(-1).mean()
        dense = 0.0
        for head, grid, target_map in zip(
            self.heads, out["image_intermediates"], maps, strict=True
        ):
            grid = F.adaptive_avg_pool2d(grid, target_map.shape[-2:])
            dense = dense + (1 - F.cosine_similarity(head(grid), target_map, dim=1)).mean()
        ranking = torch.zeros(())
        if self.bank is not None:
            ranking = rank_distillation(features, target, self.bank, self.scale)
        return features, distance, dense / len(self.heads), ranking


def statement_bank() -> list[str]:
    """Every object phrase (any count, size, colour, shape; with or without a textured
    background) and every colour-shape relation: the texts rankings are distilled over."""
    phrases = [
        scenes.noun_phrase(count, colour, shape, size)
        for count in ("a", "two", "three")
        for size in (None, *scenes.SIZES)
        for colour in (None, *scenes.COLOURS)
        for shape in (None, *scenes.SHAPES)
        if (size, colour, shape) != (None, None, None)
    ]
    textures = scenes.BACKGROUNDS[1:]
    texts = phrases + [p + scenes.background_suffix(t) for p in phrases for t in textures]
    objects = [scenes.noun_phrase("a", c, s) for c in scenes.COLOURS for s in scenes.SHAPES]
    texts += [f"{a} {r} {b}" for a in objects for b in objects if a != b for r in scenes.RELATIONS]
    return texts


def rank_distillation(
    student: torch.Tensor, teacher: torch.Tensor, bank: torch.Tensor, scale: float
) -> torch.Tensor:
    """KL from the teacher's to the student's softmax rankings, texts per image and images per
    text, over a fixed bank of statements: it weighs the distinctions search relies on (which
    shape, which colour) rather than every embedding direction alike."""
    student_logits, teacher_logits = scale * student @ bank.T, scale * teacher @ bank.T
    loss = 0.0
    for dim in (1, 0):
        loss = (
            loss
            + F.kl_div(
                F.log_softmax(student_logits, dim),
                F.log_softmax(teacher_logits, dim),
                log_target=True,
                reduction="sum",
            )
            / student_logits.shape[1 - dim]
        )
    return loss / 2


def train(
    kind: str,
    out: Path,
    steps: int | None = None,
    seed: int = 0,
    threads: int = 2,
    workers: int = 1,
    teacher_path: Path | None = None,
) -> Path:
    """Train one demo model and save its fp16 state_dict to ``out``.

    With ``teacher_path`` (a trained model of kind ``SETTINGS[kind]["teacher"]``), the text
    tower is copied from the teacher and locked, and the image tower is trained with the
    contrastive loss plus a distillation term pulling its embedding to the teacher's.
    """
    settings = SETTINGS[kind]
    steps = int(steps or settings["steps"])
    batch, family = int(settings["batch"]), int(settings["family"])
    torch.set_num_threads(threads)
    _seed_everything(seed)
    model_name = DEMO_MODELS[kind][0]
    model = configs.create_model(model_name)
    teacher = Distiller(str(settings["teacher"]), teacher_path, model) if teacher_path else None
    model.train()
    bank = None  # the statement bank, when a loss ranks it
    if teacher is not None:
        teacher.train()
        if settings.get("rank") or settings.get("truth"):
            bank = statement_bank()
            tokenizer = configs.get_tokenizer(model_name)
            with torch.no_grad():
                teacher.bank = torch.cat(
                    [
                        model.encode_text(tokenizer(bank[i : i + 512]), normalize=True)
                        for i in range(0, len(bank), 512)
                    ]
                )
            teacher.scale = float(model.logit_scale.exp())
    image_size = model.visual.preprocess_cfg["size"]
    image_size = image_size if isinstance(image_size, int) else image_size[0]
    truth_bank = bank if settings.get("truth") else None
    data = SceneBatches(
        model_name,
        image_size,
        batch,
        family,
        seed,
        truth_bank,
        float(settings.get("twins", 0)),
        bool(settings.get("near_misses")),
    )
    loader = torch.utils.data.DataLoader(
        data,
        batch_size=None,
        sampler=range(steps),
        num_workers=workers,
        worker_init_fn=_worker_init if workers else None,
        prefetch_factor=2 if workers else None,
        persistent_workers=False,
    )
    groups = _param_groups(model, 0.05)
    if teacher is not None:
        groups += _param_groups(teacher.heads, 0.05)
    probe = None
    if settings.get("layout"):
        probe = LayoutProbe(model.text_projection.shape[1])
        groups += _param_groups(probe, 0.05)
    optimizer = torch.optim.AdamW(
        [g for g in groups if g["params"]],
        lr=settings["lr"],
        betas=(0.9, 0.98),
        eps=1e-6,
    )
    warmup = max(1, steps // 20)

    def lr_factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, steps - warmup)))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)
    n_params = sum(p.numel() for p in model.parameters())
    print(
        f"training {model_name}: {n_params / 1e6:.2f}M params, {steps} steps x {batch}"
        + (f", text tower and distillation from {teacher_path}" if teacher else "")
    )
    start, cpu_start, data_cpu, running = time.time(), time.process_time(), 0.0, None
    for step, (images, tokens, positives, bank_positives, layout, batch_cpu) in enumerate(loader):
        data_cpu += batch_cpu
        if teacher is None:
            image_features, text_features, logit_scale = model(images, tokens)
            loss = multi_positive_loss(image_features, text_features, logit_scale, positives)
        else:
            image_features, distance, dense, ranking = teacher(model, images)
            with torch.no_grad():
                text_features = model.encode_text(tokens, normalize=True)
            logit_scale = model.logit_scale.exp()
            loss = multi_positive_loss(image_features, text_features, logit_scale, positives)
            loss = loss + settings["distill"] * distance + settings["dense"] * dense
            loss = loss + settings.get("rank", 0) * ranking
            if bank_positives is not None:
                truth = multi_positive_loss(
                    image_features, teacher.bank, logit_scale, bank_positives
                )
                loss = loss + settings["truth"] * truth
        if probe is not None:
            loss = loss + settings["layout"] * probe(image_features, layout)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        scheduler.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, math.log(100))
        running = loss.item() if running is None else 0.9 * running + 0.1 * loss.item()
        if step % 20 == 0 or step == steps - 1:
            elapsed = time.time() - start
            eta = elapsed / (step + 1) * (steps - step - 1)
            print(
                f"step {step + 1:4d}/{steps}  loss {running:.3f}  "
                f"scale {model.logit_scale.exp().item():5.1f}  "
                f"{elapsed:5.0f}s elapsed, ~{eta:4.0f}s left",
                flush=True,
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.half() if v.is_floating_point() else v for k, v in model.state_dict().items()}
    torch.save(state, out)
    size_mb = out.stat().st_size / 1e6
    train_cpu = time.process_time() - cpu_start
    print(
        f"saved {out} ({size_mb:.2f} MB, fp16) after {time.time() - start:.0f}s wall; "
        f"CPU time: training {train_cpu:.0f}s + rendering {data_cpu:.0f}s"
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(DEMO_MODELS), required=True)
    parser.add_argument("--out", type=Path, help="default: the shipped assets/models file")
    parser.add_argument("--steps", type=int, help="override the schedule's step count")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1, help="rendering processes")
    parser.add_argument("--teacher", help="trained teacher weights, or 'none' (ViT only)")
    args = parser.parse_args(argv)
    out = args.out or DEMO_MODELS[args.model][1]
    teacher = None
    if "teacher" in SETTINGS[args.model] and args.teacher != "none":
        teacher = Path(args.teacher or DEMO_MODELS[str(SETTINGS[args.model]["teacher"])][1])
    train(args.model, out, args.steps, args.seed, args.threads, args.workers, teacher)
    return 0


if __name__ == "__main__":
    sys.exit(main())

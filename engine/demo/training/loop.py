"""The training loop: one demo model from a fixed seed to an fp16 state dict."""

from __future__ import annotations

import math
import random
import time
from pathlib import Path

import numpy as np
import torch

from engine.demo import configs
from engine.demo.configs import DEMO_MODELS
from engine.demo.training.bank import statement_bank
from engine.demo.training.batches import SceneBatches, render_worker_init
from engine.demo.training.distiller import Distiller
from engine.demo.training.layout_probe import LayoutProbe
from engine.demo.training.losses import multi_positive_loss
from engine.demo.training.schedule import SETTINGS, warmup_cosine


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


def _encode_bank(teacher: Distiller, model: torch.nn.Module, model_name: str) -> list[str]:
    """Give the teacher the statement bank's embeddings (the locked text tower's)."""
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
    return bank


def _loss(
    model: torch.nn.Module,
    teacher: Distiller | None,
    probe: LayoutProbe | None,
    settings: dict,
    batch: tuple,
) -> torch.Tensor:
    """The weighted training loss of one batch (see ``schedule.SETTINGS``)."""
    images, tokens, positives, bank_positives, layout, _ = batch
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
            truth = multi_positive_loss(image_features, teacher.bank, logit_scale, bank_positives)
            loss = loss + settings["truth"] * truth
    if probe is not None:
        loss = loss + settings["layout"] * probe(image_features, layout)
    return loss


def _save(model: torch.nn.Module, out: Path) -> None:
    """The state dict with every float tensor in fp16 (a plain open_clip checkpoint)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.half() if v.is_floating_point() else v for k, v in model.state_dict().items()}
    torch.save(state, out)


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
    # Creation order fixes which random numbers initialise what: model, teacher heads, probe.
    model = configs.create_model(model_name)
    teacher = Distiller(str(settings["teacher"]), teacher_path, model) if teacher_path else None
    model.train()
    bank = None  # the statement bank, when a loss ranks it
    if teacher is not None:
        teacher.train()
        if settings.get("rank") or settings.get("truth"):
            bank = _encode_bank(teacher, model, model_name)
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
        worker_init_fn=render_worker_init if workers else None,
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
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, warmup_cosine(steps))
    n_params = sum(p.numel() for p in model.parameters())
    print(
        f"training {model_name}: {n_params / 1e6:.2f}M params, {steps} steps x {batch}"
        + (f", text tower and distillation from {teacher_path}" if teacher else "")
    )
    start, cpu_start, data_cpu, running = time.time(), time.process_time(), 0.0, None
    for step, batch_data in enumerate(loader):
        data_cpu += batch_data[-1]
        loss = _loss(model, teacher, probe, settings, batch_data)
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
    _save(model, out)
    train_cpu = time.process_time() - cpu_start
    print(
        f"saved {out} ({out.stat().st_size / 1e6:.2f} MB, fp16) after "
        f"{time.time() - start:.0f}s wall; "
        f"CPU time: training {train_cpu:.0f}s + rendering {data_cpu:.0f}s"
    )
    return out

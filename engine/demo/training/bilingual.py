"""Teaching a trained demo model's text tower Chinese, keeping its English (teacher learning).

The student is the model's own text tower; the teacher is a frozen copy. For every statement
the scene generator makes (English), the student must embed its Chinese and its mixed
phrasing (``chinese_phrases``) where the teacher embeds the English, and the English itself
(and random strings: nonsense must stay nonsense) where it was: cosine distance, plus the KL
divergence of the student's ranking of the batch's statements from the teacher's (which
distinctions matter: colour, shape, direction). The image towers are not touched, so images
keep their embeddings and every model sharing this text tower (the ViT copied and froze the
ResNet's) becomes bilingual with it.
"""

from __future__ import annotations

import copy
import string
import time
from pathlib import Path

import numpy as np
import torch

from engine.demo import configs
from engine.demo.configs import DEMO_MODELS
from engine.demo.scenes.chinese_phrases import to_chinese, to_mixed
from engine.demo.scenes.generate import choice, random_scene
from engine.demo.scenes.split import TRAIN_STREAM
from engine.demo.scenes.statements import random_statement, relation_near_misses
from engine.demo.training.bank import statement_bank
from engine.demo.training.losses import rank_distillation
from engine.demo.training.schedule import warmup_cosine
from engine.demo.training.text_encoding import encode_texts

BILINGUAL_STREAM = 3  # second seed word of the statement batches (after TRAIN_STREAM)
SCENES, BANK_TEXTS = 96, 64  # per batch: statements about random train scenes, bank texts
NONSENSE_TEXTS = 32  # per batch: random strings, kept where the teacher puts them
HAN_NONSENSE_TEXTS = 16  # per batch: random Han-character strings, likewise
HAN_BLOCK = (0x4E00, 0x9FA6)  # CJK Unified Ideographs
MIXED_WEIGHT = 0.5  # mixed phrasings are rarer in queries than either language


def load_padded(kind: str, path: Path) -> torch.nn.Module:
    """A demo model of ``kind`` from ``path``; a checkpoint with a shorter text context
    (the English-only models had 32) keeps its positions and gets the new ones from the
    model's seeded initialisation."""
    model = configs.create_model(DEMO_MODELS[kind][0])
    state = torch.load(path, map_location="cpu", weights_only=True)
    saved = state["positional_embedding"]
    full = model.positional_embedding.detach().clone().to(saved.dtype)
    full[: len(saved)] = saved
    state["positional_embedding"] = full
    model.load_state_dict(state)
    return model.float()


def statements(rng: np.random.Generator, bank: list[str]) -> list[str]:
    """English statements of one batch: true ones and near misses about train scenes, and a
    sample of the statement bank."""
    texts: list[str] = []
    for _ in range(SCENES):
        scene = random_scene(rng, split="train")
        texts.append(random_statement(scene, rng))
        texts += relation_near_misses(scene, rng)
    texts += [str(choice(rng, bank)) for _ in range(BANK_TEXTS)]
    return texts


def nonsense(rng: np.random.Generator) -> list[str]:
    """Random strings of one or two words, then random Han-character strings: what tells a
    query that means nothing (the good-match gate calibrates on such strings, in the query's
    own script) must stay where the English-only teacher puts it while the tower learns
    Chinese; otherwise any Han string would look meaningful next to random Latin ones."""
    letters, printable = string.ascii_lowercase, string.ascii_letters + string.digits + "-.,!?#"
    out = []
    for i in range(NONSENSE_TEXTS):
        alphabet = list(letters if i % 2 == 0 else printable)
        words = [rng.choice(alphabet, int(rng.integers(2, 10))) for _ in range(rng.integers(1, 3))]
        out.append(" ".join("".join(w) for w in words))
    for _ in range(HAN_NONSENSE_TEXTS):
        codes = rng.integers(*HAN_BLOCK, int(rng.integers(2, 13)))
        out.append("".join(map(chr, codes)))
    return out


def _loss(student, teacher, tokenizer, texts: list[str], rng, scale: float) -> torch.Tensor:
    chinese = [to_chinese(t, rng) for t in texts]
    mixed = [to_mixed(t, rng) for t in texts]
    english = texts + nonsense(rng)
    with torch.no_grad():
        target = encode_texts(teacher, tokenizer(english))
    loss = torch.zeros(())
    for phrasings, weight in ((english, 1.0), (chinese, 1.0), (mixed, MIXED_WEIGHT)):
        features = encode_texts(student, tokenizer(phrasings))
        wanted = target[: len(features)]
        distance = 1 - (features * wanted).sum(-1).mean()
        ranking = rank_distillation(features, wanted, target, scale)
        loss = loss + weight * (distance + ranking)
    return loss


def _text_parameters(model: torch.nn.Module) -> list[torch.nn.Parameter]:
    out = []
    for name, p in model.named_parameters():
        p.requires_grad_(not name.startswith("visual.") and name != "logit_scale")
        if p.requires_grad:
            out.append(p)
    return out


def train_bilingual(
    source: Path, steps: int, seed: int = 0, threads: int = 2, lr: float = 1e-3
) -> dict[str, torch.Tensor]:
    """The text tower (state-dict entries outside ``visual.``) of the demo ResNet at
    ``source``, taught Chinese; fp32."""
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    teacher = load_padded("resnet", source).eval().requires_grad_(False)
    student = copy.deepcopy(teacher).train()
    tokenizer = configs.get_tokenizer(DEMO_MODELS["resnet"][0])
    scale = float(teacher.logit_scale.exp())
    optimizer = torch.optim.AdamW(
        _text_parameters(student), lr=lr, betas=(0.9, 0.98), eps=1e-6, weight_decay=0.0
    )
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, warmup_cosine(steps))
    bank = statement_bank()
    print(f"teaching the text tower of {source} Chinese: {steps} steps")
    start, cpu, running = time.time(), time.process_time(), None
    for step in range(steps):
        rng = np.random.default_rng([TRAIN_STREAM, BILINGUAL_STREAM, seed, step])
        loss = _loss(student, teacher, tokenizer, statements(rng, bank), rng, scale)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        scheduler.step()
        running = loss.item() if running is None else 0.9 * running + 0.1 * loss.item()
        if step % 20 == 0 or step == steps - 1:
            elapsed = time.time() - start
            print(
                f"step {step + 1:4d}/{steps}  loss {running:.4f}  {elapsed:5.0f}s elapsed, "
                f"~{elapsed / (step + 1) * (steps - step - 1):4.0f}s left",
                flush=True,
            )
    print(f"{time.time() - start:.0f}s wall, {time.process_time() - cpu:.0f}s CPU")
    return {k: v for k, v in student.state_dict().items() if not k.startswith("visual.")}

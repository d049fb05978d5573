"""Make the trained demo models bilingual (English and Chinese): teach the ResNet's text tower
Chinese (``engine.demo.training.bilingual``) and give both models that text tower.

    .venv/bin/python -m engine.demo.train_bilingual --resnet EN_RESNET --vit EN_VIT

``EN_RESNET``/``EN_VIT``: the English models ``engine.demo.train`` made (the ViT's text tower is
a frozen copy of the ResNet's). Writes the shipped assets/models files unless ``--out-dir``.
The same arguments give the same tensors, bit for bit.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see engine.demo.train
    import torch

    from engine.demo.configs import DEMO_MODELS
    from engine.demo.training.bilingual import load_padded, train_bilingual

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resnet", type=Path, required=True, help="English demo ResNet")
    parser.add_argument("--vit", type=Path, required=True, help="English demo ViT")
    parser.add_argument("--out-dir", type=Path, help="default: the shipped assets/models files")
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    text = train_bilingual(args.resnet, args.steps, args.seed, args.threads, args.lr)
    for kind, source in (("resnet", args.resnet), ("vit", args.vit)):
        model = load_padded(kind, source)
        model.load_state_dict(text, strict=False)
        shipped = DEMO_MODELS[kind][1]
        out = args.out_dir / shipped.name if args.out_dir else shipped
        out.parent.mkdir(parents=True, exist_ok=True)
        state = {k: v.half() if v.is_floating_point() else v for k, v in model.state_dict().items()}
        torch.save(state, out)
        print(f"saved {out} ({out.stat().st_size / 1e6:.2f} MB, fp16)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

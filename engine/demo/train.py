"""Train a demo CLIP on freshly rendered scenes (the method: ``engine.demo.training``).

    .venv/bin/python -m engine.demo.train --model vit [--out assets/models/demo-vit.pt]

The same arguments give the same tensors, bit for bit.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    # Idle OpenMP threads sleep instead of spinning: on a shared 2-core machine spinning threads
    # take CPU from the rendering process and from each other. OpenMP reads this when torch
    # loads, so it is set before the imports below load torch.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from engine.demo.configs import DEMO_MODELS
    from engine.demo.training.loop import train
    from engine.demo.training.schedule import SETTINGS

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

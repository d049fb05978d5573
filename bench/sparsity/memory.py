"""Model memory: a fresh process loads one encoder, encodes once and reports its RSS.

python -m bench.sparsity.memory MODEL [WEIGHTS]     # the child; prints one JSON line
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import torch

from bench._common import REPO


def rss(model: str, weights: str | None) -> dict:
    cmd = [sys.executable, "-m", "bench.sparsity.memory", model]
    if weights:
        cmd.append(weights)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_child(model: str, weights: str | None) -> None:
    from PIL import Image

    from engine.encoder import ClipEncoder

    torch.set_num_threads(2)
    encoder = ClipEncoder(model, weights)
    image = Image.new("RGB", (320, 240), (120, 80, 40))
    base = _status_mb("VmRSS")
    encoder.load()
    encoder.encode_images([image])
    encoder.encode_texts(["a photo of a dog"])
    peak = _status_mb("VmHWM")
    print(json.dumps({"base_mb": base, "peak_mb": peak, "model_mb": peak - base}))


if __name__ == "__main__":
    rss_child(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)

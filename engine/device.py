"""Where the encoder runs: one name for the user (``auto``, ``cpu``, ``cuda``, ``mps``) over
torch's backends, and what each backend gets (batch size, precision).

``auto`` tries, in order: CUDA (an NVIDIA card), Apple's MPS (Apple silicon), the CPU. A
backend named explicitly but not present here is an error, never a silent fallback.
``.sparse`` files run on the CPU only (int8 and CSR kernels); asked for another device
they fall back to the CPU with a one-line notice.
"""

from __future__ import annotations

import logging
import os

import torch
from torch import nn

from engine.device_names import AUTO, DEVICES
from engine.errors import N_, ModelError

log = logging.getLogger("photosearch.engine")
FALLBACK_ORDER = ("cuda", "mps", "cpu")
# CPU: 16 encodes as fast per photo as 32 and to the same bits, with half the activations
# (about 70 MB less peak memory for ViT-B-32: docs/BENCHMARKS.md, "Indexing memory")
BATCH_SIZES = {"cpu": 16, "cuda": 256, "mps": 64}
# Half precision where the backend has fast fp16 kernels; kept only when its vectors match
# fp32 (see :func:`half_matches_fp32`).
HALF_ON = ("cuda", "mps")
MIN_HALF_COSINE = 0.999


class DeviceUnavailableError(ModelError):
    """The device named is not present on this machine."""


def available(kind: str) -> bool:
    if kind == "cpu":
        return True
    if kind == "cuda":
        return torch.cuda.is_available()
    if kind == "mps":
        return bool(getattr(torch.backends, "mps", None)) and torch.backends.mps.is_available()
    return False


def resolve(name: str | None) -> torch.device:
    """The torch device for a user's ``--device`` value (None means ``auto``)."""
    name = (name or AUTO).lower()
    if name not in DEVICES:
        raise DeviceUnavailableError(
            "unknown device {name!r}; choose one of {devices}",
            name=name,
            devices=", ".join(DEVICES),
        )
    if name == AUTO:
        return torch.device(next(kind for kind in FALLBACK_ORDER if available(kind)))
    if not available(name):
        raise DeviceUnavailableError(
            "--device {name}: no {kind} device is available here (use --device auto or cpu)",
            name=name,
            kind={"cuda": "CUDA", "mps": "Apple MPS"}[name],
        )
    return torch.device(name)


def for_sparse_file(device: torch.device) -> torch.device:
    """``.sparse`` models run on the CPU; say so once when another device was chosen."""
    if device.type != "cpu":
        log.warning(N_("note: .sparse models run on the CPU only; using cpu, not %s"), device.type)
    return torch.device("cpu")


def decode_workers(device: torch.device) -> int:
    """Threads that read, decode and preprocess photos for the encoder. On the CPU they share
    the cores with the encoder, so a few; with a GPU the encode leaves the CPU free and
    decoding is what limits indexing (docs/BENCHMARKS.md, "Indexing on the GPU")."""
    cores = os.cpu_count() or 2
    return min(4, cores) if device.type == "cpu" else max(4, min(16, cores))


def batch_size(device: torch.device) -> int:
    return BATCH_SIZES.get(device.type, BATCH_SIZES["cpu"])


def wants_half(device: torch.device) -> bool:
    return device.type in HALF_ON


def half_matches_fp32(
    model: nn.Module, device: torch.device, towers: tuple[str, ...], image_size: int, tokens
) -> bool:
    """Whether ``model`` (fp32, on ``device``) gives the same vectors in fp16: one probe image
    and one probe text, cosine >= :data:`MIN_HALF_COSINE` each. The model is left in fp32."""
    generator = torch.Generator().manual_seed(0)
    image = torch.randn(2, 3, image_size, image_size, generator=generator).to(device)
    tokens = tokens.to(device)

    def probe(dtype: torch.dtype) -> list[torch.Tensor]:
        model.to(dtype)
        with torch.inference_mode():
            out = []
            if "image" in towers:
                out.append(model.encode_image(image.to(dtype)).float())
            if "text" in towers:
                out.append(model.encode_text(tokens).float())
        return out

    full = probe(torch.float32)
    try:
        half = probe(torch.float16)
    except RuntimeError:  # an op without an fp16 kernel on this backend
        return False
    finally:
        model.to(torch.float32)
    return all(
        bool(torch.nn.functional.cosine_similarity(a, b).min() >= MIN_HALF_COSINE)
        for a, b in zip(full, half, strict=True)
    )

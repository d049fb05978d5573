"""The ``.sparse`` files under test, converted from each model."""

from __future__ import annotations

import time
from pathlib import Path

from bench._common import slug, source_name
from bench.sparsity.inputs import log


def sparse_file(
    model: str, weights: str | None, mode: str, calib: Path, folder: Path, photos: int = 48
) -> Path:
    from app.calibration import calibration_for
    from engine.registry import parse_source
    from engine.sparse.convert import convert

    out = folder / f"{slug(source_name(model, weights))}-{mode}.sparse"
    started = time.perf_counter()
    spec = parse_source(model, weights)
    calibration = calibration_for(spec, calib, photos) if mode == "dynamic" else None
    convert(spec, out, mode, calibration)
    seconds = time.perf_counter() - started
    log(f"  converted {source_name(model, weights)} -> {mode} in {seconds:.0f}s")
    return out


def calibrated_settings(path: Path) -> dict:
    from engine.sparse.convert import info

    meta = info(path)
    return {"settings": meta["settings"], "calibration": meta["effect"]}

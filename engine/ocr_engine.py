"""Which OCR engine reads the text in photos (engine.ocr), and whether it can run here,
known without loading it: a command with no photo to read never imports onnxruntime."""

from __future__ import annotations

import importlib.util
import os

from engine.errors import OCR_UNAVAILABLE

GATE_SIDE = 320  # longest side the gate's detector sees
READ_SIDE = 960  # longest side detection and recognition see, at most (small text)...
READ_MIN_SIDE = 480  # ...and at least (large text: a sign across the photo)
PACKAGES = ("rapidocr", "onnxruntime")
SETTINGS = f"PP-OCRv6-small/{GATE_SIDE}-{READ_MIN_SIDE}-{READ_SIDE}"


def unavailable_reason(load_runtime: bool = True) -> str | None:
    """None when OCR can run here (its packages import); otherwise one line saying why not.
    Without ``load_runtime`` onnxruntime (its native libraries) is found but not imported, for
    a command that only reports, such as ``status``; rapidocr itself imports light."""
    try:
        if load_runtime:
            import onnxruntime  # noqa: F401
        elif importlib.util.find_spec("onnxruntime") is None:
            raise ModuleNotFoundError("No module named 'onnxruntime'", name="onnxruntime")
        import rapidocr  # noqa: F401
    except ImportError as exc:
        import sys

        version = ".".join(map(str, sys.version_info[:2]))
        return OCR_UNAVAILABLE.format(version=version, error=exc, packages=" and ".join(PACKAGES))
    return None


def engine_id() -> str:
    """Names the OCR engine and settings; text read with another id is read again."""
    import importlib.metadata

    version = importlib.metadata.version("rapidocr")
    return f"rapidocr-{version}/{SETTINGS}"


def installed_files() -> list | None:
    """What changes when the engine's packages are installed again or upgraded, or these
    settings change: their files' paths, sizes and times (found, not imported). None when
    a package is not installed."""
    from importlib.util import find_spec

    files: list = [SETTINGS]
    for name in PACKAGES:
        spec = find_spec(name)
        if spec is None or spec.origin is None:
            return None
        stat = os.stat(spec.origin)
        files.append([spec.origin, stat.st_size, stat.st_mtime_ns])
    return files

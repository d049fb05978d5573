"""Helpers shared by the benchmarks: cache dir, source photos, machine facts, percentiles.

``python -m bench._common rss LIBRARY_DIR`` loads a saved library's vector store and
catalog in a fresh process (no torch) and prints its resident memory as JSON; the
benchmarks call it so RSS is never inflated by their own build.
"""

from __future__ import annotations

import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
SHARED_PHOTOS = REPO.parent / "shared" / "photos"
CACHE_ENV = "PHOTOSEARCH_BENCH_CACHE"
PHOTOS_ENV = "PHOTOSEARCH_BENCH_PHOTOS"
SOURCE_SUFFIXES = {".jpg", ".jpeg", ".png"}


def cache_root() -> Path:
    """``$PHOTOSEARCH_BENCH_CACHE`` or the user's cache dir + ``/bench``."""
    override = os.environ.get(CACHE_ENV)
    if override:
        root = Path(override)
    else:
        from platformdirs import user_cache_dir

        root = Path(user_cache_dir("photosearch", appauthor=False)) / "bench"
    root.mkdir(parents=True, exist_ok=True)
    return root


def slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)


def source_images(demo_count: int = 24, seed: int = 0) -> list[Path]:
    """Real photos (``../shared/photos``, if present) plus rendered demo scenes."""
    photos_dir = Path(os.environ.get(PHOTOS_ENV) or SHARED_PHOTOS)
    found: list[Path] = []
    if photos_dir.is_dir():
        found += sorted(p for p in photos_dir.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES)
    return found + demo_scenes(demo_count, seed)


def demo_scenes(count: int, seed: int = 0) -> list[Path]:
    """Held-out demo scenes written by ``write_demo_folder`` (cached)."""
    from engine.demo.scenes.folder import write_demo_folder

    target = cache_root() / "sources" / f"demo-scenes-{count}-{seed}"
    if not (target / ".done").exists():
        target.mkdir(parents=True, exist_ok=True)
        write_demo_folder(target, count, seed)
        (target / ".done").touch()
    return sorted(p for p in target.rglob("*") if p.suffix.lower() in SOURCE_SUFFIXES)


def augmented_views(path: Path, views: int, rng: random.Random) -> list[Image.Image]:
    """The photo itself plus random crops / flips / brightness changes of it."""
    with Image.open(path) as img:
        base = img.convert("RGB")
    out = [base]
    w, h = base.size
    for _ in range(views - 1):
        scale = rng.uniform(0.35, 1.0)
        cw, ch = max(8, int(w * scale)), max(8, int(h * scale * rng.uniform(0.8, 1.2)))
        cw, ch = min(cw, w), min(ch, h)
        x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
        view = base.crop((x, y, x + cw, y + ch))
        if rng.random() < 0.5:
            view = view.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        factor = rng.uniform(0.7, 1.3)
        view = view.point(lambda v, f=factor: min(255, int(v * f)))
        out.append(view)
    return out


def percentiles(values_ms: list[float] | np.ndarray, prefix: str = "") -> dict[str, float]:
    arr = np.asarray(values_ms, dtype=np.float64)
    if arr.size == 0:
        return {}
    p50, p95, p99 = np.percentile(arr, [50, 95, 99])
    return {
        f"{prefix}p50_ms": round(float(p50), 3),
        f"{prefix}p95_ms": round(float(p95), 3),
        f"{prefix}p99_ms": round(float(p99), 3),
    }


def machine_info() -> dict:
    """Cores, CPU model and load: no host names or paths."""
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    import torch

    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "mem_gb": mem_gb,
        "loadavg_1_5_15": load,
        "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__,  # its kernels (and its random draws) change between releases
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
    }


def how_busy(load: list[float], cores: int | None) -> str:
    """How busy the machine was, from a 1/5/15-minute load average, for a table's header."""
    return "shared with other jobs, busy" if load and load[0] > (cores or 1) / 2 else "quiet"


def file_mb(path: Path) -> float:
    return round(path.stat().st_size / 1e6, 1) if path.exists() else 0.0


def rss_mb() -> float:
    return _status_mb("VmRSS:")


def peak_rss_mb() -> float:
    """VmHWM: this process's own peak. ``ru_maxrss`` would carry the parent's peak over
    fork and exec, so a small child of a large parent would report the parent's."""
    return _status_mb("VmHWM:")


def _status_mb(field: str) -> float:
    """A memory field of ``/proc/self/status``; where there is none, the peak RSS."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_rss(library_dir: Path) -> dict:
    """Resident memory of a fresh process that opened the saved store + catalog."""
    out = subprocess.run(
        [sys.executable, "-m", "bench._common", "rss", str(library_dir)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _rss_child(library_dir: str) -> None:
    from index.library import Library

    before = rss_mb()
    started = time.perf_counter()
    library = Library(library_dir, writable=False)
    store = library.store
    label = next(iter(store.labels()))
    store.search(store.get([label]), 10)
    library.catalog.photos_by_ids([label])
    load_s = time.perf_counter() - started
    after = rss_mb()
    print(
        json.dumps(
            {
                "rss_mb": round(after, 1),
                "rss_before_load_mb": round(before, 1),
                "rss_load_delta_mb": round(after - before, 1),
                "peak_rss_mb": round(peak_rss_mb(), 1),
                "load_s": round(load_s, 2),
            }
        )
    )


def write_section(heading: str, text: str, path: Path = REPO / "docs" / "BENCHMARKS.md") -> None:
    """Replace the section that starts with ``heading`` in BENCHMARKS.md (or append it)."""
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start = current.find(heading)
    if start < 0:
        updated = current.rstrip("\n") + "\n\n" + text
    else:
        end = current.find("\n## ", start + len(heading))
        rest = current[end + 1 :] if end >= 0 else ""
        updated = current[:start] + text + ("\n" + rest if rest else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")


def report(result: dict, text: str, heading: str, write: bool) -> None:
    """A bench's end: its result as one JSON line, its table, and with ``write`` the table
    as its section of docs/BENCHMARKS.md."""
    print(json.dumps(result))
    print(text)
    if write:
        write_section(heading, text)


def source_name(model: str, weights: str | None) -> str:
    """``model:weights`` as `photosearch model convert --input` takes it."""
    return f"{model}:{weights}" if weights else model


def weights_for(model: str, weights: str | None) -> str | None:
    """The weights a benchmark uses: as given, shipped for demo models and .sparse files,
    else random (no network here: pretrained tags cannot be downloaded)."""
    from engine.registry import DEMO_MODELS
    from engine.sparse import SPARSE_SUFFIX

    if weights or model in DEMO_MODELS or model.endswith(SPARSE_SUFFIX):
        return weights
    return "random"


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "rss":
        _rss_child(sys.argv[2])
    else:
        sys.exit("usage: python -m bench._common rss LIBRARY_DIR")

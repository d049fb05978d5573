"""Cold commands that encode nothing (issue 18): a no-op ``reindex`` and ``status``.

A folder of ``--photos`` small JPEGs is indexed once with the demo model (cached). Then,
in fresh processes, alternated, ``--rounds`` times each: ``photosearch reindex`` with
nothing changed and ``photosearch status``, for the code before the change (``--baseline``,
a commit: every command imported torch and open_clip, and reindex built the model) and
now; and the scan itself, two ways: timed inside a process, and as a whole process that
only opens the catalog and scans (the least a no-op reindex command can do).

    python -m bench.cold_commands --photos 2000 --rounds 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

from bench._common import REPO, cache_root, machine_info, source_images, write_section
from bench.scan_cost import export_tree

BASELINE = "84de102"  # main before commands that encode nothing stopped importing torch
HEADING = "## Cold commands that encode nothing (issue 18)"
TREE = ("app", "engine", "index", "assets")
SCAN_ONLY = """
import sys, time
from pathlib import Path
from index.catalog import Catalog
from index.scanner import scan
catalog = Catalog(Path(sys.argv[1]) / "catalog.sqlite3", read_only=True)
started = time.perf_counter()
diff = scan(catalog, catalog.folders())
assert not diff.to_encode() and not diff.deleted, "the folder changed"
print(time.perf_counter() - started)
"""


def indexed_folder(count: int) -> tuple[Path, Path]:
    """``count`` photos (real photos and demo scenes, 256 px, repeated) and a library that
    holds them all, indexed with the demo model; cached."""
    root = cache_root() / "cold_commands" / f"photos-{count}"
    photos, library = root / "photos", root / "library"
    if (root / ".done").exists():
        return photos, library
    shutil.rmtree(root, ignore_errors=True)
    sources = source_images()
    for i in range(count):
        folder = photos / f"{i // 500:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        with Image.open(sources[i % len(sources)]) as image:
            image = image.convert("RGB")
            image.thumbnail((256, 256))
            image.save(folder / f"p{i:05d}.jpg", quality=80 + i % 15)
    cli("index", str(photos), "--model", "demo", library=library, tree=REPO)
    (root / ".done").touch()
    return photos, library


def cli(*args: str, library: Path, tree: Path) -> float:
    """Seconds from process start to exit of ``photosearch ARGS`` run from ``tree``."""
    cmd = [sys.executable, "-m", "app.cli", "--library", str(library), *args]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    started = time.perf_counter()
    subprocess.run(cmd, cwd=tree, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def scan_process(library: Path) -> tuple[float, float]:
    """(whole process, the scan inside it) in seconds."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", SCAN_ONLY, str(library)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started, float(proc.stdout)


def measure(args: argparse.Namespace) -> dict:
    _, library = indexed_folder(args.photos)
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"before": export_tree(args.baseline, Path(tmp) / "before", TREE), "now": REPO}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                for command in ("reindex", "status"):
                    seconds = cli(command, library=library, tree=tree)
                    times.setdefault(f"{command} ({name})", []).append(seconds)
            whole, inside = scan_process(library)
            times.setdefault("scan-only process", []).append(whole)
            times.setdefault("scan inside it", []).append(inside)
    return {"photos": args.photos, "rounds": args.rounds, "times_s": times}


def table(args: argparse.Namespace, result: dict) -> str:
    info = machine_info()
    medians = {name: statistics.median(t) for name, t in result["times_s"].items()}
    lines = [
        HEADING,
        "",
        f"`python -m bench.cold_commands --photos {args.photos} --rounds {args.rounds}`"
        f" ({info['date']}; {info['cores']} cores, {info['cpu']}; load average"
        f" {info['loadavg_1_5_15']}). A library of {args.photos:,} photos indexed with the demo"
        " model, nothing changed. Fresh processes, alternated; wall clock from process start"
        f" to exit, medians of {args.rounds}. before = `{args.baseline}` (every command"
        " imported torch and open_clip; reindex built the model), now = this tree.",
        "",
        "| run | median s | runs |",
        "|---|---:|---|",
    ]
    for name, runs in result["times_s"].items():
        listed = ", ".join(f"{x:.2f}" for x in runs)
        lines.append(f"| {name} | {medians[name]:.3f} | {listed} |")
    now, before = medians["reindex (now)"], medians["reindex (before)"]
    lines += [
        "",
        f"No-op reindex now / before: **{now / before:.2f}**;"
        f" now / the scan-only process: **{now / medians['scan-only process']:.2f}**"
        " (target: within 1.5x of the scan itself); status now / before:"
        f" {medians['status (now)'] / medians['status (before)']:.2f}.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    result = measure(args)
    print(json.dumps(result))
    if not args.no_write:
        write_section(HEADING, table(args, result))


if __name__ == "__main__":
    main()

"""Cold commands that encode nothing (issue 18): a no-op ``reindex`` and ``status``.

A folder of ``--photos`` small JPEGs is indexed once with the demo model (cached). Then,
in fresh processes, alternated, ``--rounds`` times each: ``photosearch reindex`` with
nothing changed and ``photosearch status``, for the code before the change (``--baseline``,
a commit: every command imported torch and open_clip, and reindex built the model) and
now; and the scan itself, two ways: timed inside a process, and as a whole process that
only opens the catalog and scans (the least a no-op reindex command can do). Wall clock
and the CPU time (user + system) of each process: on a shared machine the CPU time is
the steadier figure. Both trees are byte-compiled first, as an installed package is.

    python -m bench.cold_commands --photos 2000 --rounds 5
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

from bench._common import REPO, cache_root, how_busy, machine_info, source_images, write_section
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


def compiled_trees(baseline: str, work: Path) -> dict[str, Path]:
    """``before``: the code at ``baseline``, exported under ``work``; ``now``: this tree;
    both byte-compiled, as an installed package is."""
    trees = {"before": export_tree(baseline, work / "before", TREE), "now": REPO}
    for tree in trees.values():
        for package in TREE[:3]:
            compileall.compile_dir(tree / package, quiet=1)
    return trees


def timed(cmd: list[str], tree: Path) -> tuple[float, float, str]:
    """(wall seconds from process start to exit, its CPU seconds, its stdout)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cpu_before = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=tree, env=env, check=True, capture_output=True, text=True)
    return time.perf_counter() - started, _children_cpu() - cpu_before, proc.stdout


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli(*args: str, library: Path, tree: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of ``photosearch ARGS`` run from ``tree``."""
    cmd = [sys.executable, "-m", "app.cli", "--library", str(library), *args]
    wall, cpu, _ = timed(cmd, tree)
    return wall, cpu


def scan_process(library: Path) -> tuple[float, float, float]:
    """(whole process wall, its CPU, the scan inside it) in seconds."""
    wall, cpu, out = timed([sys.executable, "-c", SCAN_ONLY, str(library)], REPO)
    return wall, cpu, float(out)


def measure(args: argparse.Namespace) -> dict:
    _, library = indexed_folder(args.photos)
    load_start = [round(x, 2) for x in os.getloadavg()]
    times: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        trees = compiled_trees(args.baseline, Path(tmp))
        for _ in range(args.rounds):
            for name, tree in trees.items():
                for command in ("reindex", "status"):
                    wall, used = cli(command, library=library, tree=tree)
                    times.setdefault(f"{command} ({name})", []).append(wall)
                    cpu.setdefault(f"{command} ({name})", []).append(used)
            whole, used, inside = scan_process(library)
            times.setdefault("scan-only process", []).append(whole)
            cpu.setdefault("scan-only process", []).append(used)
            times.setdefault("scan inside it", []).append(inside)
    load_end = [round(x, 2) for x in os.getloadavg()]
    return {
        "photos": args.photos,
        "rounds": args.rounds,
        "times_s": times,
        "cpu_s": cpu,
        "load_start": load_start,
        "load_end": load_end,
    }


def table(args: argparse.Namespace, result: dict) -> str:
    info = machine_info()
    medians = {name: statistics.median(t) for name, t in result["times_s"].items()}
    lines = [
        HEADING,
        "",
        f"`python -m bench.cold_commands --photos {args.photos} --rounds {args.rounds}"
        + (f" --baseline {args.baseline}`" if args.baseline != BASELINE else "`")
        + f" ({info['date']}; {info['cores']} cores, {info['cpu']},"
        f" {how_busy(result.get('load_start', info['loadavg_1_5_15']), info['cores'])};"
        f" load average {result.get('load_start', info['loadavg_1_5_15'])} at the start)."
        f" A library of {args.photos:,} photos indexed with the demo"
        " model, nothing changed. Fresh processes, alternated; wall clock from process start"
        f" to exit, medians of {args.rounds}. before = `{args.baseline}`, now = this tree.",
        "",
        "| run | median s | runs | median CPU s |",
        "|---|---:|---|---:|",
    ]
    cpu = {name: statistics.median(t) for name, t in result.get("cpu_s", {}).items()}
    for name, runs in result["times_s"].items():
        listed = ", ".join(f"{x:.2f}" for x in runs)
        used = f"{cpu[name]:.3f}" if name in cpu else ""
        lines.append(f"| {name} | {medians[name]:.3f} | {listed} | {used} |")
    now, before = medians["reindex (now)"], medians["reindex (before)"]
    scan = medians["scan-only process"]
    lines += [
        "",
        f"No-op reindex now / before: **{now / before:.2f}**;"
        f" now / the scan-only process: **{now / scan:.2f}**"
        f" (CPU time: {cpu['reindex (now)'] / cpu['scan-only process']:.2f})"
        " (target: within 1.5x of the scan itself); status now / before:"
        f" {medians['status (now)'] / medians['status (before)']:.2f}."
        f" Load average at the end: {result['load_end']}.",
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

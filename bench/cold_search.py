"""A cold text search without the query service: the code before open_clip was imported
without transformers (``--baseline``) against now.

    python -m bench.cold_search [--rounds 5] [--baseline COMMIT]

``photosearch search TEXT --no-service`` in fresh processes, alternated, ``--rounds`` times
for each library and tree: the demo model's library of bench.cold_commands (2,000 photos),
bench.scale's 10,000-photo ViT-B-32 library (random weights; skipped when not built), and a
library of the sample photos indexed with ViT-B-32 from a weights file (random weights
saved once, as a user's downloaded checkpoint is loaded; cached).
Both trees are byte-compiled first, as an installed package is. Reported: medians of the
wall clock (process start to exit) and of the CPU time (user + system), and now / before.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from bench._common import REPO, cache_root, machine_info, source_images, weights_for
from bench.cold_commands import compiled_trees, indexed_folder, timed
from bench.scale.vectors import model_case
from index.vector_store import DEFAULT_EF_CONSTRUCTION, DEFAULT_M

BASELINE = "6c16fd9"  # main before open_clip was imported without transformers
QUERIES = ("a dog on the beach", "kids building a sandcastle", "a red car at night")


def libraries(work: Path) -> dict[str, Path]:
    found = {"demo, 2,000 photos": indexed_folder(2000)[1]}
    case = model_case("ViT-B-32", weights_for("ViT-B-32", None))
    scale = case.dir / f"lib-n10000-M{DEFAULT_M}-efc{DEFAULT_EF_CONSTRUCTION}"
    if (scale / "build.json").exists():
        copy = work / "vit-b-32-10k"
        shutil.copytree(scale, copy, ignore=shutil.ignore_patterns("write.lock"))
        found["ViT-B-32, 10,000 photos"] = copy
    found["ViT-B-32 from a weights file, sample photos"] = weights_file_library()
    return found


def weights_file_library() -> Path:
    """The sample photos indexed with ViT-B-32 loaded from a weights file; cached."""
    import torch

    from engine.encoder import ClipEncoder

    root = cache_root() / "cold_search"
    weights, library, photos = root / "vit-b-32.pt", root / "library", root / "photos"
    if (root / ".done").exists():
        return library
    shutil.rmtree(root, ignore_errors=True)
    photos.mkdir(parents=True)
    for source in source_images()[:16]:
        shutil.copy(source, photos / source.name)
    torch.save(ClipEncoder("ViT-B-32", "random").model.state_dict(), weights)
    cmd = [sys.executable, "-m", "app.cli", "--library", str(library), "index", str(photos)]
    timed([*cmd, "--model", "ViT-B-32", "--weights", str(weights)], REPO)
    (root / ".done").touch()
    return library


def measure(rounds: int, baseline: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        trees = compiled_trees(baseline, work)
        runs: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for library_name, library in libraries(work).items():
            for i in range(rounds):
                order = list(trees.items()) if i % 2 == 0 else list(trees.items())[::-1]
                for tree_name, tree in order:
                    query = QUERIES[i % len(QUERIES)]
                    cmd = [sys.executable, "-m", "app.cli", "--library", str(library)]
                    wall, cpu, _ = timed([*cmd, "search", query, "--no-service"], tree)
                    runs.setdefault((library_name, tree_name), []).append((wall, cpu))
    return runs


def table(runs: dict, rounds: int, baseline: str, load: list) -> str:
    info = machine_info()
    lines = [
        f"`python -m bench.cold_search --rounds {rounds} --baseline {baseline}` "
        f"({info['date']}; {info['cores']} cores, {info['cpu']}; load average {load} at the "
        f"start, {info['loadavg_1_5_15']} at the end). before = `{baseline}`, now = this tree.",
        "",
        "| library | tree | wall median s | CPU median s | now / before (wall, CPU) |",
        "|---|---|---:|---:|---|",
    ]
    for (library, tree), values in runs.items():
        wall = statistics.median(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values)
        ratio = ""
        if tree == "now":
            before = runs[(library, "before")]
            ratio = (
                f"{wall / statistics.median(v[0] for v in before):.2f}x, "
                f"{cpu / statistics.median(v[1] for v in before):.2f}x"
            )
        lines.append(f"| {library} | {tree} | {wall:.2f} | {cpu:.2f} | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.cold_search", description=__doc__)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--baseline", default=BASELINE)
    args = p.parse_args(argv)
    load = [round(x, 2) for x in os.getloadavg()]
    print(table(measure(args.rounds, args.baseline), args.rounds, args.baseline, load))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

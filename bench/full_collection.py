"""What one full collection of Python's cyclic GC costs in a process that has loaded a model,
as the window has (issue 19): it holds the GIL throughout, so whichever thread triggers it
(the indexing's) stalls the others (the window's event loop).

In fresh processes, alternated, the code before the change (``--baseline``) and now: import
the window's code, load the demo model, then time ``gc.collect()`` (CPU time of the
process, median of ``--collections``) and count the objects a full collection traverses
(``gc.get_objects()``: the frozen ones are left out).

    python -m bench.full_collection --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench._common import REPO, how_busy, machine_info, report
from bench.scan_cost import export_tree

BASELINE = "aa68e26"  # main before the model code's objects were frozen
HEADING = "## One full collection of the GC in a process with a model (issue 19)"
TREE = ("app", "engine", "index", "assets")
WORKER = """
import gc, json, statistics, sys, time
import app.gui.main_window  # the window's imports: PySide6, torch, open_clip
from engine.encoder import ClipEncoder

encoder = ClipEncoder("demo").load()
costs = []
for _ in range(int(sys.argv[1])):
    started = time.process_time()
    gc.collect()
    costs.append(time.process_time() - started)
print(json.dumps({"cpu_ms": statistics.median(costs) * 1000, "traversed": len(gc.get_objects())}))
"""


def worker(tree: Path, collections: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", WORKER, str(collections)],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(proc.stdout.splitlines()[-1])


def measure(args: argparse.Namespace) -> dict:
    load_start = [round(x, 2) for x in os.getloadavg()]
    runs: dict[str, list[dict]] = {"before": [], "now": []}
    with tempfile.TemporaryDirectory(prefix="bench-gc-") as tmp:
        trees = {"before": export_tree(args.baseline, Path(tmp) / "before", TREE), "now": REPO}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                runs[name].append(worker(tree, args.collections))
    load_end = [round(x, 2) for x in os.getloadavg()]
    return {**vars(args), "runs": runs, "load_start": load_start, "load_end": load_end}


def table(result: dict) -> str:
    info = machine_info()
    med = {
        (name, key): statistics.median(r[key] for r in result["runs"][name])
        for name in ("before", "now")
        for key in ("cpu_ms", "traversed")
    }
    return (
        "\n".join(
            [
                HEADING,
                "",
                f"Command: `python -m bench.full_collection --rounds {result['rounds']}`  ",
                f"Machine: {info['cores']} cores ({how_busy(result['load_start'], info['cores'])}),"
                f" {info['cpu']},"
                f" load average {result['load_start']} at the start, {result['load_end']} at the"
                f" end, {info['date']}.",
                "",
                "A process that imported the window's code and loaded the demo model; fresh"
                f" processes, alternated, medians of {result['rounds']} (each the median of"
                f" {result['collections']} collections): before = `{result['baseline']}`, now ="
                " this tree (engine/encoder.py freezes what is imported with the model code).",
                "",
                "| | before | now |",
                "|---|---:|---:|",
                f"| objects a full collection traverses | {med['before', 'traversed']:,.0f}"
                f" | {med['now', 'traversed']:,.0f} |",
                "| CPU time of one full collection (the GIL held)"
                f" | {med['before', 'cpu_ms']:.1f} ms | {med['now', 'cpu_ms']:.1f} ms |",
            ]
        )
        + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--collections", type=int, default=5)
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    args = parser.parse_args()
    result = measure(args)
    report(result, table(result), HEADING, args.write)


if __name__ == "__main__":
    main()

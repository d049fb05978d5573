"""What a writer pays at its clean close and at its next open to know that the catalog and
the vector store still agree (index/store_agreement.py), on bench.scale's cached library.

A copy of the library (ViT-B-32, 512-d: a 2.2 GB store at 1M photos) is made once; then in
fresh processes, alternated, the code before the change (``--baseline``: a CRC32 of each
whole store file) and now, each process times ``record`` as ``Library.close`` calls it, then
a writer's open that checks the agreement before a scan (``Library`` opened for writing,
``check_store()``, closed; the store is not loaded). Wall clock and the process's CPU time,
inside the process. The copy leaves the store in the page cache, so the whole-file CRC reads
from memory here; from disk it costs more.

    python -m bench.store_agreement --photos 1000000 --rounds 3
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

from bench._common import REPO, file_mb, how_busy, machine_info, report
from bench.cold_query import scale_library
from bench.scan_cost import export_tree

BASELINE = "aa68e26"  # main before the sampled fingerprint
HEADING = "## Knowing that catalog and store agree: close and open (issue 18)"
WORKER = """
import json, sys, time
from pathlib import Path
from index.library import VECTORS_FILE, Library
from index.store_agreement import _content, record

root = Path(sys.argv[1])


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return [time.perf_counter() - wall, time.process_time() - cpu], out


def open_and_check():
    with Library(root) as library:
        library.check_store()
        return library._store is None


with Library(root) as library:
    closing, _ = timed(lambda: record(library.catalog, root / VECTORS_FILE))
opening, not_loaded = timed(open_and_check)
snapshot, _ = timed(lambda: _content(root / VECTORS_FILE))
print(json.dumps(
    {"record": closing, "open": opening, "snapshot": snapshot, "store_not_loaded": not_loaded}
))
"""


def worker(tree: Path, library: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", WORKER, str(library)],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        check=True,
        capture_output=True,
        text=True,
    )
    out = json.loads(proc.stdout.splitlines()[-1])
    if not out["store_not_loaded"]:
        raise SystemExit(f"the store was loaded at open ({tree}): the agreement did not hold")
    return out


def measure(args: argparse.Namespace) -> dict:
    built = scale_library("ViT-B-32", "random", args.photos)
    if built is None:
        raise SystemExit(f"bench.scale has no {args.photos:,}-photo ViT-B-32 library cached")
    with tempfile.TemporaryDirectory(prefix="bench-agreement-") as tmp:
        library = Path(tmp) / "library"
        started = time.perf_counter()
        shutil.copytree(built, library)  # the cache's stores are never written
        copy_s = time.perf_counter() - started
        before = export_tree(args.baseline, Path(tmp) / "before", ("index",))
        trees = {"before": before, "now": REPO}
        load_start = [round(x, 2) for x in os.getloadavg()]
        runs: dict[str, list[dict]] = {name: [] for name in trees}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                runs[name].append(worker(tree, library))
        load_end = [round(x, 2) for x in os.getloadavg()]
        store_mb = file_mb(library / "vectors.hnsw")
    return {
        "photos": args.photos,
        "rounds": args.rounds,
        "baseline": args.baseline,
        "store_mb": store_mb,
        "copy_s": copy_s,
        "runs": runs,
        "load_start": load_start,
        "load_end": load_end,
    }


def table(result: dict) -> str:
    info = machine_info()
    command = f"python -m bench.store_agreement --photos {result['photos']}"
    command += f" --rounds {result['rounds']}"
    lines = [
        HEADING,
        "",
        f"Command: `{command}`  ",
        f"Machine: {info['cores']} cores ({how_busy(result['load_start'], info['cores'])}),"
        f" {info['cpu']}, load"
        f" average {result['load_start']} at the start, {result['load_end']} at the end,"
        f" {info['date']}.",
        "",
        f"A copy of bench.scale's {result['photos']:,}-photo ViT-B-32 library (store file"
        f" {result['store_mb']:.1f} MB, in the page cache). Fresh processes, alternated,"
        f" medians of {result['rounds']}: before = `{result['baseline']}` (a CRC32 of each"
        " whole store file), now = identity and 16 sampled blocks. 'close' is the agreement"
        " record a writer's clean close writes; 'open' is a writer opening the library and"
        " checking the agreement before its scan (the store not loaded), from opening the"
        " catalog to closing it; both also read a fingerprint of the catalog's ids, which"
        " did not change.",
        "",
        "| step | before: wall | before: CPU | now: wall | now: CPU | CPU before / now |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    steps = (
        ("record", "close (the record)"),
        ("open", "open (the check)"),
        ("snapshot", "of which: the snapshot file's part"),
    )
    for step, label in steps:
        med = {
            (name, i): statistics.median(r[step][i] for r in result["runs"][name])
            for name in ("before", "now")
            for i in (0, 1)
        }
        cells = " | ".join(_ms(med[key]) for key in (("before", 0), ("before", 1), ("now", 0)))
        ratio = med["before", 1] / max(med["now", 1], 1e-9)
        lines.append(f"| {label} | {cells} | {_ms(med['now', 1])} | {ratio:.0f}x |")
    return "\n".join(lines) + "\n"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    args = parser.parse_args()
    result = measure(args)
    report(result, table(result), HEADING, args.write)


if __name__ == "__main__":
    main()

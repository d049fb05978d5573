"""Scan cost of the replaced-file check (issue 20): ctime + inode + hash-on-mismatch.

Builds a folder of ``--files`` image-named files and, for the scanner before the check
(``--baseline``, a commit) and the current one, a catalog that already holds every file,
then times a full no-change ``scan`` of it. Both run in fresh processes, alternated, in
one run; the table shows medians and the ratio.

    python -m bench.scan_cost --files 100000 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

from bench._common import REPO, machine_info, write_section

BASELINE = "7e28840e651b4730d66fecea4f2fa2b89ee9c7a6"  # main just before the check
HEADING = "## Scan cost of the replaced-file check (issue 20)"


def make_files(root: Path, count: int, per_folder: int = 1000) -> None:
    for i in range(count):
        folder = root / f"d{i // per_folder:04d}"
        if i % per_folder == 0:
            folder.mkdir(parents=True)
        (folder / f"p{i:07d}.jpg").write_bytes(b"")


def export_tree(commit: str, target: Path, paths: tuple[str, ...] = ("index",)) -> Path:
    """The files under ``paths`` at ``commit``, written to ``target``."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", commit, *paths], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def run_worker(tree: Path, files: Path, library: Path, repeats: int) -> list[float]:
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", str(files), str(library), str(repeats)],
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(proc.stdout)


def worker(files: str, library: str, repeats: int) -> None:
    """In the tree under test: fill a catalog with every file as indexed, time scans."""
    from index.catalog import Catalog
    from index.library import CATALOG_FILE
    from index.scanner import scan

    Path(library).mkdir(parents=True, exist_ok=True)
    catalog = Catalog(Path(library) / CATALOG_FILE)
    folder = catalog.add_folder(files)
    infos = scan(catalog, [folder]).added
    columns = {r[1] for r in catalog._db.execute("PRAGMA table_info(photos)")}
    extra = ["ctime_ns", "inode"] if "inode" in columns else []
    names = ["path", "folder_id", "size", "mtime_ns", "hash", "status", "updated_at", *extra]
    rows = [
        (i.path, folder.id, i.size, i.mtime_ns, "h", "indexed", 0.0)
        + tuple(getattr(i, c) for c in extra)
        for i in infos
    ]
    with catalog.transaction() as db:
        marks = ", ".join("?" * len(names))
        db.executemany(f"INSERT INTO photos({', '.join(names)}) VALUES ({marks})", rows)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        diff = scan(catalog, catalog.folders())
        times.append(time.perf_counter() - start)
        assert diff.unchanged == len(rows) and not diff.to_encode(), "scan saw changes"
    print(json.dumps(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="alternations of the two")
    parser.add_argument("--repeats", type=int, default=2, help="scans per process")
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        make_files(tmp_path / "files", args.files)
        trees = {"before (size + mtime)": export_tree(args.baseline, tmp_path / "baseline")}
        trees["after (+ ctime, inode)"] = REPO
        times: dict[str, list[float]] = {name: [] for name in trees}
        for round_ in range(args.rounds):
            for n, (name, tree) in enumerate(trees.items()):
                library = tmp_path / f"lib{n}-{round_}"
                times[name] += run_worker(tree, tmp_path / "files", library, args.repeats)
    medians = {name: statistics.median(t) for name, t in times.items()}
    before, after = medians.values()
    result = {"files": args.files, "median_s": medians, "ratio": after / before}
    print(json.dumps(result))
    if not args.no_write:
        write_section(HEADING, _table(args, times, medians, after / before))


def _table(args, times, medians, ratio) -> str:
    info = machine_info()
    lines = [
        HEADING,
        "",
        f"`python -m bench.scan_cost --files {args.files} --rounds {args.rounds}"
        f" --repeats {args.repeats}` ({info['date']}; {info['cores']} cores, {info['cpu']},"
        f" shared and busy: load {info['loadavg_1_5_15']}). A full scan of a folder of"
        f" {args.files:,} image-named files that the catalog already holds, nothing changed;"
        " before = the scanner at the commit just before the check, after = with it. Fresh"
        " processes, alternated; medians of"
        f" {args.rounds * args.repeats} scans each.",
        "",
        "| scanner | median scan | scans |",
        "|---|---|---|",
    ]
    for name, t in times.items():
        runs = ", ".join(f"{x:.2f}" for x in t)
        lines.append(f"| {name} | {medians[name]:.2f} s | {runs} |")
    lines += ["", f"After / before: **{ratio:.3f}** (the target was within 1.10)."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()

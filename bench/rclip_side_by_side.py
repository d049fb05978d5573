"""Indexing and a cold text query, photosearch and rclip side by side on the same photos.

    python -m bench.rclip_side_by_side [--sizes 200,2000] [--baseline REV] [--queries 3]

Both tools run ViT-B-32-256 with the same random weights (photosearch's seeded ``random``
weights), exported for rclip the way rclip's own ``scripts/convert_model.py`` does:
``torch.onnx.export`` of ``model.visual`` and of ``encode_text`` (opset 18, TorchScript
exporter, dynamic batch axis), files laid out as rclip reads them (``$RCLIP_DATADIR/
ViT-B-32-256-datacomp_s34b_b86k/{visual,textual}.onnx`` and its tokenizer vocabulary), so it
never downloads. rclip is installed from the package registry into its own virtual
environment in the bench cache (never into the project's).

Photos: bench.indexing_memory's 640x480 JPEGs (the bench sources, cropped; cached).
Indexing: one fresh process each, photos/s over the whole process (start, model load,
index) and its CPU seconds (user + sys, children included); photosearch as ``photosearch
index`` does before its text pass (bench.indexing_memory's process), rclip as its first run in
a folder does (``init_rclip``, which indexes). Peak RSS is each indexing process's own
(``getrusage(RUSAGE_SELF)``, reported by the process as it ends) and, apart, its children's
largest (``RUSAGE_CHILDREN``: photosearch's forked snapshot writer, whose RSS counts the pages
it shares copy-on-write with its parent); ``os.wait4``'s ``ru_maxrss`` would be the larger of
the two. Cold query: process start to results printed, median of ``--queries`` runs,
``photosearch search`` (no query service running) against ``rclip --no-indexing``; its peak
is ``wait4``'s (neither forks during a query).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench._common import REPO, cache_root, machine_info, write_section
from bench.indexing_memory import CHILD, baseline_tree, photos

RCLIP_VERSION = "3.3.0"
ARCH = "ViT-B-32-256"
RCLIP_MODEL_DIR = "ViT-B-32-256-datacomp_s34b_b86k"  # the folder name rclip looks for
QUERY = "a dog running on the beach"
EXPORT = """
import shutil, sys
from pathlib import Path
sys.path.append(sys.argv[2])  # the rclip environment's onnx package, after our own numpy
import open_clip, torch
from engine.dense import load_dense
from engine.registry import parse_source

out = Path(sys.argv[1])
model = load_dense(parse_source("ViT-B-32-256", "random")).eval()


class Visual(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.visual = model.visual

    def forward(self, x):
        return self.visual(x)


class Textual(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.clip_model = model

    def forward(self, x):
        return self.clip_model.encode_text(x)


target = out / sys.argv[3]
target.mkdir(parents=True, exist_ok=True)
for wrapper, dummy, name in (
    (Visual(model), torch.randn(1, 3, 256, 256), "visual.onnx"),
    (Textual(model), torch.zeros(1, 77, dtype=torch.long), "textual.onnx"),
):
    torch.onnx.export(
        wrapper.eval(), (dummy,), str(target / name), input_names=["input"],
        output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
        opset_version=18, dynamo=False,
    )
vocab = out / "tokenizer" / "bpe_simple_vocab_16e6.txt.gz"
vocab.parent.mkdir(parents=True, exist_ok=True)
shutil.copy2(Path(open_clip.__file__).parent / "bpe_simple_vocab_16e6.txt.gz", vocab)
"""
RCLIP_INDEX = """
import json, resource, sys
from rclip.main import init_rclip
init_rclip(sys.argv[1], 8)
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"own_peak_kb": own, "children_peak_kb": children}))
"""


def rclip_env() -> Path:
    """A virtual environment with rclip (and onnx, for the export), made once."""
    env = cache_root() / "rclip" / f"venv-{RCLIP_VERSION}"
    python = env / "bin" / "python"
    if (env / ".done").exists():
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(env)], check=True)
    pip = [str(python), "-m", "pip", "install", "-q", f"rclip=={RCLIP_VERSION}", "onnx"]
    subprocess.run(pip, check=True)
    (env / ".done").touch()
    return python


def site_packages(python: Path) -> str:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return subprocess.run([str(python), "-c", code], capture_output=True, text=True).stdout.strip()


def rclip_models(python: Path) -> Path:
    """rclip's data folder holding the random-weight ONNX export (made once)."""
    models = cache_root() / "rclip" / f"models-{ARCH}-random"
    if (models / ".done").exists():
        return models
    args = [sys.executable, "-c", EXPORT, str(models), site_packages(python), RCLIP_MODEL_DIR]
    subprocess.run(args, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, check=True)
    (models / ".done").touch()
    return models


def timed(args: list[str], cwd: Path, env: dict) -> dict:
    """Wall and CPU seconds, peak RSS (MB, ``wait4``'s ``ru_maxrss``) and stdout of one
    process."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            raise SystemExit(f"{args[:3]} failed: {err.read().strip().splitlines()[-1:]}")
        return {
            "wall_s": elapsed,
            "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_mb": round(usage.ru_maxrss / 1024),
            "stdout": out.read(),
        }


def indexing(args: list[str], cwd: Path, env: dict) -> dict:
    """One indexing process: wall and CPU seconds, its own peak RSS and its children's (MB),
    from the JSON line it prints last."""
    run = timed(args, cwd, env)
    peaks = json.loads(run["stdout"].strip().splitlines()[-1])
    run["own_mb"] = round(peaks["own_peak_kb"] / 1024)
    run["children_mb"] = round(peaks["children_peak_kb"] / 1024)
    return run


def photosearch_row(tree: Path, folder: Path, count: int, queries: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    with tempfile.TemporaryDirectory() as library:
        args = [sys.executable, "-c", CHILD, library, str(folder), ARCH, "random"]
        index = indexing(args, tree, env)
        search = [sys.executable, "-m", "app.cli", "--library", library, "search", QUERY]
        query = [timed(search, tree, env) for _ in range(queries)]
    return _row(count, index, query)


def rclip_row(python: Path, models: Path, folder: Path, count: int, queries: int) -> dict:
    with tempfile.TemporaryDirectory() as data:
        for item in (RCLIP_MODEL_DIR, "tokenizer"):
            os.symlink(models / item, Path(data) / item)
        env = {**os.environ, "RCLIP_DATADIR": data}
        index = indexing([str(python), "-c", RCLIP_INDEX, str(folder)], folder, env)
        rclip = [str(python), "-m", "rclip", "--no-indexing", "--top", "10", QUERY]
        query = [timed(rclip, folder, env) for _ in range(queries)]
    return _row(count, index, query)


def _row(count: int, index: dict, query: list[dict]) -> dict:
    return {
        "photos_s": round(count / index["wall_s"], 2),
        "cpu_ms_per_photo": round(1000 * index["cpu_s"] / count),
        "peak_rss_mb": index["own_mb"],
        "children_peak_mb": index["children_mb"],
        "query_s": round(statistics.median(q["wall_s"] for q in query), 2),
        "query_cpu_s": round(statistics.median(q["cpu_s"] for q in query), 2),
        "query_rss_mb": max(q["peak_mb"] for q in query),
    }


def run(sizes: list[int], rev: str | None, queries: int, done) -> list[dict]:
    python = rclip_env()
    models = rclip_models(python)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        old = baseline_tree(rev, Path(tmp)) if rev else None
        for size in sizes:
            folder = photos(size)
            row = {"photos": size, "load": [round(x, 2) for x in os.getloadavg()]}
            row["rclip"] = rclip_row(python, models, folder, size, queries)
            if old is not None:
                row["baseline"] = photosearch_row(old, folder, size, queries)
            row["this"] = photosearch_row(REPO, folder, size, queries)
            row["load_after"] = [round(x, 2) for x in os.getloadavg()]
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
            done(rows)
    return rows


def report(rows: list[dict], rev: str | None, command: str) -> str:
    info = machine_info()
    sides = (["baseline"] if rev else []) + ["this", "rclip"]
    names = {"baseline": f"photosearch `{rev}`", "this": "photosearch", "rclip": "rclip"}
    lines = [
        "## rclip side by side (bench.rclip_side_by_side)",
        "",
        f"`{command}` on {date.today().isoformat()}; {info.get('cpu', 'CPU')},"
        f" {info.get('cores', '?')} cores, shared with other busy processes (load average"
        " at the start and end of each row below), so times are only indicative; one run"
        " per row. Both tools: ViT-B-32-256, the same random weights (rclip gets them as"
        f" ONNX, exported as rclip's conversion script does), rclip {RCLIP_VERSION} with its"
        " default batch of 8 on ONNX Runtime, photosearch on torch. photos/s counts the"
        " whole process (start, model load, indexing); CPU = user + sys seconds of the"
        " process and its children, per photo for indexing. Peak RSS = the indexing"
        " process's own (`RUSAGE_SELF`); children's peak apart (`RUSAGE_CHILDREN`:"
        " photosearch's forked snapshot writer, whose RSS counts pages it shares"
        " copy-on-write with its parent). query = a cold text query, process start to"
        " results printed, median of the runs, no query service running; its peak is"
        " `wait4`'s. The ratio rows are photosearch / rclip.",
        "",
        "| photos | load (start / end) | tool | photos/s | CPU ms/photo | peak RSS"
        " | children's peak | cold query | query CPU | query peak RSS |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        load = f"{row['load']} / {row['load_after']}"
        for side in sides:
            r = row[side]
            lines.append(
                f"| {row['photos']:,} | {load} | {names[side]} | {r['photos_s']}"
                f" | {r['cpu_ms_per_photo']} | {r['peak_rss_mb']} MB"
                f" | {r['children_peak_mb']} MB | {r['query_s']} s | {r['query_cpu_s']} s"
                f" | {r['query_rss_mb']} MB |"
            )
        ours, theirs = row["this"], row["rclip"]
        ratios = [
            ours[key] / theirs[key] if theirs[key] else float("nan")
            for key in (
                "photos_s",
                "cpu_ms_per_photo",
                "peak_rss_mb",
                "query_s",
                "query_cpu_s",
                "query_rss_mb",
            )
        ]
        speed, cpu, peak, query, query_cpu, query_peak = (f"{x:.2f}x" for x in ratios)
        lines.append(
            f"| {row['photos']:,} | | ratio | {speed} | {cpu} | {peak} | | {query}"
            f" | {query_cpu} | {query_peak} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,2000")
    parser.add_argument("--baseline", metavar="REV", help="also run photosearch at REV")
    parser.add_argument("--queries", type=int, default=3)
    args = parser.parse_args()
    command = f"python -m bench.rclip_side_by_side --sizes {args.sizes}" + (
        f" --baseline {args.baseline}" if args.baseline else ""
    )

    def done(rows: list[dict]) -> None:  # each size is written as soon as it is measured
        write_section("## rclip side by side", report(rows, args.baseline, command))

    sizes = [int(s) for s in args.sizes.split(",")]
    run(sizes, args.baseline, args.queries, done)


if __name__ == "__main__":
    main()

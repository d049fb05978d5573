"""Peak memory of an indexing run against the number of photos, this tree vs a baseline.

    python -m bench.indexing_memory --baseline REV [--sizes 200,2000] [--model M --weights W]

Each run is a fresh process that does what ``photosearch index DIR`` does before its text
pass (``app.context.library_encoder``, ``add_folder``, ``index_folders``) on a new library;
the process reports its own peak RSS as it ends (the kernel's ``VmHWM``; ``ru_maxrss`` of
``RUSAGE_SELF`` would carry the parent's peak over fork and exec) and, apart, the largest
peak among the children it waited for (``RUSAGE_CHILDREN``: the forked snapshot writer,
whose RSS counts the pages it shares copy-on-write with the indexing process, so it is not
memory of its own). ``os.wait4``'s ``ru_maxrss`` would be the larger of the two. The
baseline is the same code at git revision REV (``git archive``), run on the same photos in
the same invocation. Photos: distinct
640x480 JPEGs cut from the bench sources (cached). ``OMP_NUM_THREADS`` is left unset for the
run (torch's default threads, as a user gets them).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from PIL import Image, ImageEnhance

from bench._common import REPO, cache_root, machine_info, source_images, write_section

SIZE = (640, 480)
# index_folders took the encoder itself before it took a function that makes it (a baseline
# revision may be from before)
CHILD = """
import inspect, json, resource, sys
from app import context
from app.commands.indexing import index_folders
from index.folders import add_folder
library_dir, folder, model, weights = sys.argv[1:5]
with context.open_library(library_dir, writable=True) as library:
    encoder = context.library_encoder(library, model, weights or None, towers=("image",))
    lazy = "encoder_for" in inspect.signature(index_folders).parameters
    rows = [add_folder(library, folder)]
    summary = index_folders(library, (lambda: encoder) if lazy else encoder, rows).line()
# VmHWM, not RUSAGE_SELF: ru_maxrss carries the parent's peak over fork and exec
status = open("/proc/self/status").read().split("VmHWM:")
own = int(status[1].split()[0]) if len(status) > 1 else 0
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"summary": summary, "own_peak_kb": own, "children_peak_kb": children}))
"""


def photos(count: int) -> Path:
    """A cached folder of ``count`` distinct small JPEGs."""
    folder = cache_root() / "indexing_memory" / f"photos-{count}"
    if (folder / ".done").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    sources = source_images()
    for i in range(count):
        rng = random.Random(i)
        with Image.open(sources[i % len(sources)]) as img:
            pic = img.convert("RGB")
        w, h = pic.size
        cw, ch = w * rng.uniform(0.6, 1.0), h * rng.uniform(0.6, 1.0)
        x, y = rng.uniform(0, w - cw), rng.uniform(0, h - ch)
        pic = pic.crop((int(x), int(y), int(x + cw), int(y + ch))).resize(SIZE)
        pic = ImageEnhance.Brightness(pic).enhance(rng.uniform(0.8, 1.2))
        pic.save(folder / f"IMG_{i:05d}.jpg", "JPEG", quality=85)
    (folder / ".done").touch()
    return folder


def index_once(tree: Path, folder: Path, model: str, weights: str) -> dict:
    """Index ``folder`` into a new library with the code in ``tree``: the indexing process's own
    peak RSS, its children's, photos/s."""
    with tempfile.TemporaryDirectory() as library:
        env = {**os.environ, "PYTHONPATH": str(tree)}
        env.pop("OMP_NUM_THREADS", None)
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, library, str(folder), model, weights],
            cwd=tree,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = child.stdout.read().strip()
        status = child.wait()
        elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"indexing failed in {tree}: {line}")
    peaks = json.loads(line.splitlines()[-1])
    count = len(list(folder.glob("*.jpg")))
    return {
        "peak_rss_mb": round(peaks["own_peak_kb"] / 1024),
        "children_peak_mb": round(peaks["children_peak_kb"] / 1024),
        "photos_s": round(count / elapsed, 1),
    }


def baseline_tree(rev: str, target: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def run(sizes: list[int], rev: str, model: str, weights: str) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        old = baseline_tree(rev, Path(tmp))
        for size in sizes:
            folder = photos(size)
            rows.append(
                {
                    "photos": size,
                    "load": [round(x, 2) for x in os.getloadavg()],
                    "baseline": index_once(old, folder, model, weights),
                    "this": index_once(REPO, folder, model, weights),
                }
            )
            print(json.dumps(rows[-1]), file=sys.stderr)
    return rows


def report(rows: list[dict], rev: str, model: str, weights: str, command: str) -> str:
    info = machine_info()
    loads = ", ".join(str(row["load"]) for row in rows)
    lines = [
        "## Indexing memory (bench.indexing_memory)",
        "",
        f"`{command}` on {date.today().isoformat()}; {info.get('cpu', 'CPU')},"
        f" {info.get('cores', '?')} cores, shared with other processes (load average when"
        f" each row started: {loads}), so photos/s is only indicative."
        f" Model {model}{f' ({weights} weights)' if weights else ''}. One fresh indexing"
        " process per run; its own peak RSS (the kernel's `VmHWM`), and apart"
        " the largest peak among its children (`RUSAGE_CHILDREN`: the forked snapshot writer,"
        " whose RSS counts pages it shares copy-on-write with its parent). Baseline ="
        f" revision `{rev}`, run on the same photos in the same invocation; one run per row,"
        " not a median; photos/s counts the whole process (start, model load, indexing).",
        "",
        "| photos | baseline peak RSS | this peak RSS | ratio | baseline children's peak"
        " | this children's peak | baseline photos/s | this photos/s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        old, new = row["baseline"], row["this"]
        lines.append(
            f"| {row['photos']:,} | {old['peak_rss_mb']} MB | {new['peak_rss_mb']} MB"
            f" | {new['peak_rss_mb'] / old['peak_rss_mb']:.2f} | {old['children_peak_mb']} MB"
            f" | {new['children_peak_mb']} MB | {old['photos_s']} | {new['photos_s']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, metavar="REV")
    parser.add_argument("--sizes", default="200,2000")
    parser.add_argument("--model", default="ViT-B-32")
    parser.add_argument("--weights", default="random")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = run(sizes, args.baseline, args.model, args.weights)
    if args.json:
        print(json.dumps(rows))
        return
    command = (
        f"python -m bench.indexing_memory --baseline {args.baseline} --sizes {args.sizes}"
        f" --model {args.model}" + (f" --weights {args.weights}" if args.weights else "")
    )
    write_section(
        "## Indexing memory", report(rows, args.baseline, args.model, args.weights, command)
    )


if __name__ == "__main__":
    main()

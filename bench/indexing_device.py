"""Indexing on each device this machine has: photos/s and peak memory, CPU beside the GPU.

    python -m bench.indexing_device [--count N] [--model M --weights W] [--json]
    python -m bench.indexing_device --from-json FILE --write

Photos: bench.indexing's distinct 4000x3000 JPEGs. Each device gets a fresh process that
does what ``photosearch --device D index DIR`` does (``app.context.library_encoder``,
``add_folder``, ``index_folders``) on a new library, devices in turn on the same photos.
It reports the model load apart from the indexing itself, its own peak RSS
(``VmHWM``) and, on CUDA, the GPU memory torch allocated at most. ``--from-json``
renders a run made on another machine (the JSON of ``--json``) into docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench._common import REPO, machine_info, write_section
from bench.indexing import SIZE, large_photos

CHILD = """
import json, sys, time
started = time.perf_counter()
from app import context
from bench._common import peak_rss_mb
from app.commands.indexing import index_folders
from index.folders import add_folder
library_dir, folder, model, weights, device, threads = sys.argv[1:7]
if threads != "default":  # the same run with another number of decode threads
    import engine.device
    engine.device.decode_workers = lambda _device: int(threads)
with context.open_library(library_dir, writable=True) as library:
    encoder = context.library_encoder(
        library, model, weights or None, towers=("image",), device=device
    ).load()
    loaded = time.perf_counter()
    summary = index_folders(library, lambda: encoder, [add_folder(library, folder)])
    indexed = library.catalog.count()
done = time.perf_counter()
import torch
gpu_peak = torch.cuda.max_memory_allocated() if encoder.device.type == "cuda" else 0
name = torch.cuda.get_device_name(encoder.device) if encoder.device.type == "cuda" else "CPU"
print(json.dumps({
    "device": encoder.device.type, "device_name": name, "dtype": str(encoder.dtype),
    "batch": encoder.batch_size, "decode_threads": context.indexer_options(encoder)["workers"],
    "indexed": indexed, "summary": summary.line(),
    "start_and_load_s": round(loaded - started, 2), "index_s": round(done - loaded, 2),
    "own_peak_mb": round(peak_rss_mb()),
    "gpu_peak_mb": round(gpu_peak / 2**20),
}))
"""


def devices_here() -> list[str]:
    from engine import device as devices

    return [kind for kind in ("cpu", "cuda", "mps") if devices.available(kind)]


def index_on(device: str, folder: Path, model: str, weights: str, threads: str) -> dict:
    with tempfile.TemporaryDirectory() as library:
        path = [str(REPO), os.environ.get("PYTHONPATH", "")]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in path if p)}
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, library, str(folder), model, weights, device, threads],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
        )
    if proc.returncode != 0:
        raise SystemExit(f"indexing on {device} failed: {proc.stderr.strip()[-2000:]}")
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    row["photos_s"] = round(row["indexed"] / row["index_s"], 1)
    return row


def run(count: int, model: str, weights: str) -> dict:
    folder = large_photos(count)
    runs = [(device, "default") for device in devices_here()]
    runs += [(device, "4") for device in devices_here() if device != "cpu"]  # the CPU's number
    rows = [index_on(device, folder, model, weights, threads) for device, threads in runs]
    return {"count": count, "model": model, "weights": weights, "rows": rows}


def report(result: dict, machine: dict, when: str, command: str) -> str:
    cpu = next(r for r in result["rows"] if r["device"] == "cpu")
    lines = [
        "## Indexing on the GPU (bench.indexing_device, issue 18)",
        "",
        f"`{command}` on {when}; {machine.get('cpu', 'CPU')}, {machine.get('cores', '?')}"
        f" cores, {machine.get('mem_gb', '?')} GB, torch {machine.get('torch', '?')},"
        f" Python {machine.get('python', '?')}"
        f" (load average at the end {machine.get('loadavg_1_5_15')}). Model"
        f" {result['model']} ({result['weights']} weights); {result['count']:,} distinct"
        f" {SIZE[0]}x{SIZE[1]} JPEGs (bench.indexing's). One fresh process per device, in"
        " turn on the same photos, doing what `photosearch --device D index DIR` does;"
        " photos/s counts the indexing (scan, decode, encode, store, catalog, final save),"
        " not the process start and model load (their own column). Peak RSS is the"
        " process's own (`VmHWM`); GPU memory is torch's largest allocation.",
        "",
        "| device | precision | batch | decode threads | photos | start + model load s | index s"
        " | photos/s | vs CPU | peak RSS | GPU memory |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        gpu = f"{row['gpu_peak_mb']} MB" if row["gpu_peak_mb"] else "-"
        lines.append(
            f"| {row['device']} ({row['device_name']}) | {row['dtype'].replace('torch.', '')}"
            f" | {row['batch']} | {row['decode_threads']} | {row['indexed']:,}"
            f" | {row['start_and_load_s']} | {row['index_s']} | {row['photos_s']}"
            f" | {row['photos_s'] / cpu['photos_s']:.1f}x"
            f" | {row['own_peak_mb']} MB | {gpu} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--model", default="ViT-B-32")
    parser.add_argument("--weights", default="random")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--from-json", type=Path, metavar="FILE")
    parser.add_argument("--write", action="store_true", help="write docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        result, machine, when = saved["result"], saved["machine"], saved["date"]
    else:
        started = time.time()
        result = run(args.count, args.model, args.weights)
        import torch

        machine = machine_info() | {"torch": torch.__version__}
        when = date.today().isoformat()
        result["seconds"] = round(time.time() - started)
    command = (
        f"python -m bench.indexing_device --count {result['count']} --model {result['model']}"
        f" --weights {result['weights']}"
    )
    if args.json:
        print(json.dumps({"result": result, "machine": machine, "date": when}))
        return
    text = report(result, machine, when, command)
    print(text)
    if args.write:
        write_section("## Indexing on the GPU", text)


if __name__ == "__main__":
    main()

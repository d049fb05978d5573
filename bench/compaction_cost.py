"""What one compaction costs the machine: built from the files in its own process (now)
against written from the writer's memory by a forked child (before), side by side.

The store is bench.browse's (``--photos`` vectors of ``--model``), copied; a change log of
each ``--log-vectors`` size is written beside it (new photos: stored vectors moved a
little, one record per 512 as checkpoints write them). Per size:

- from the files: the building process (``index/snapshot_build.py``) from start to exit:
  Python's start, loading the snapshot, replaying the log into HNSW, writing, fsync,
  check. Wall time and the process's CPU time.
- fork (before): a writer that already holds the index with the log applied forks a
  child that writes the file; the write, fsync and check, and the child's CPU. Replaying
  the log was not part of it: the writer had inserted each photo when it was indexed.

The window's pause during each is bench.snapshot_pause's; this is the background work.

Usage: ``python -m bench.compaction_cost [--photos 100000] [--log-vectors 0,5000,100000]
[--write]``
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from bench._common import how_busy, machine_info, write_section
from engine.registry import best_demo_model

SECTION = "## What a compaction costs: from the files against the forked writer (issue 19)"
RECORD = 512


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class PeakRss:
    """Polls a process's peak resident memory (Linux ``VmHWM``) until it ends."""

    def __init__(self, pid: int) -> None:
        self.mb = 0.0
        self._pid = pid
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._done.wait(0.05):
            try:
                status = Path(f"/proc/{self._pid}/status").read_text()
            except OSError:
                return
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    self.mb = max(self.mb, int(line.split()[1]) / 1024)

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return self.mb


def write_log(snapshot: Path, log: Path, count: int, dim: int, seed: int) -> int:
    """A log of ``count`` new vectors beside ``snapshot``; returns its length."""
    from index import vector_log
    from index.vector_file import VectorFile

    stored = VectorFile(snapshot, dim)
    labels = np.asarray(stored._sorted)
    rng = np.random.default_rng(seed)
    with open(log, "wb") as f:
        f.write(vector_log.header(dim))
        for start in range(0, count, RECORD):
            n = min(RECORD, count - start)
            _, near = stored.live_vectors(rng.choice(labels, n, replace=False))
            moved = near + 0.05 * rng.standard_normal(near.shape).astype(np.float32)
            moved /= np.linalg.norm(moved, axis=1, keepdims=True)
            new = np.arange(start, start + n, dtype=np.int64) + int(labels.max()) + 1
            f.write(vector_log.encode([vector_log.Change(vector_log.ADD, new, moved)]))
        return f.tell()


def dimension(snapshot: Path) -> int:
    from index.vector_snapshot import _HEADER

    with open(snapshot, "rb") as f:
        fields = _HEADER.unpack(f.read(_HEADER.size))
    label_offset, data_offset = fields[4], fields[5]
    return (label_offset - data_offset) // 4


def measure(snapshot: Path, sizes: list[int], work: Path) -> list[dict]:
    from bench.whole_index_writes import ForkedWrite
    from index.snapshot_build import SnapshotBuild
    from index.vector_log import log_path
    from index.vector_store import VectorStore

    dim = dimension(snapshot)
    rows = []
    for size in sizes:
        store_dir = work / f"log-{size}"
        store_dir.mkdir()
        path = store_dir / snapshot.name
        shutil.copy(snapshot, path)
        end = write_log(path, log_path(path), size, dim, seed=size)
        row: dict = {"log_vectors": size, "log_mb": end / 2**20}

        cpu, wall = children_cpu_s(), time.perf_counter()
        building = SnapshotBuild(path, log_path(path), end, store_dir / "built.hnsw", dim)
        peak = PeakRss(building.pid)
        building.wait()
        row["files_s"] = time.perf_counter() - wall
        row["files_cpu_s"] = children_cpu_s() - cpu
        row["files_rss_mb"] = peak.stop()

        store = VectorStore(path, dim)  # the writer's index, the log inserted
        cpu, wall = children_cpu_s(), time.perf_counter()
        ForkedWrite(store._index, store_dir / "forked.hnsw").wait()
        row["fork_s"] = time.perf_counter() - wall
        row["fork_cpu_s"] = children_cpu_s() - cpu
        row["snapshot_mb"] = os.path.getsize(store_dir / "built.hnsw") / 2**20
        store.close(compact=False)
        del store
        shutil.rmtree(store_dir)
        rows.append(row)
        print(row, flush=True)
    return rows


def table(rows: list[dict], photos: int, model: str, before: dict, after: dict, command: str):
    lines = [
        SECTION,
        "",
        f"Command: `{command}`  ",
        f"Machine: {before['cores']} cores, {before['cpu']}, load average"
        f" {before['loadavg_1_5_15']} at the start and {after['loadavg_1_5_15']} at the end"
        f" ({how_busy(before['loadavg_1_5_15'], before['cores'])}), Python {before['python']};"
        f" date {before['date']}.  ",
        f"Store: {photos:,} photos ({model} vectors, bench.browse's), with a change log of"
        " new photos of each size.",
        "",
        "| log: vectors (MB) | new snapshot, MB | from the files: wall s | its process's CPU s"
        " | fork: wall s | its child's CPU s | CPU, files / fork |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['log_vectors']:,} ({r['log_mb']:.1f}) | {r['snapshot_mb']:.0f}"
            f" | {r['files_s']:.2f} | {r['files_cpu_s']:.2f} | {r['fork_s']:.2f}"
            f" | {r['fork_cpu_s']:.2f} | {r['files_cpu_s'] / max(r['fork_cpu_s'], 1e-3):.1f}x |"
        )
    peak = max(r["files_rss_mb"] for r in rows)
    lines += [
        "",
        "From the files, the building process replays the log into HNSW: the CPU the writer"
        " spent inserting those photos when they were indexed is spent again, at the"
        " process's lowered priority. The fork's child only writes; the writer had paid for"
        f" the insertions. The building process's peak RSS (polled): {peak:.0f} MB at most"
        " (the snapshot loaded whole, plus the log's vectors), while it runs.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.compaction_cost", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--model", default=best_demo_model())
    parser.add_argument("--weights")
    parser.add_argument("--log-vectors", default="0,5000,100000")
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    from bench.browse import build_library
    from index.library import VECTORS_FILE

    lib_dir, _ = build_library(args.photos, args.model, args.weights)
    sizes = [int(x) for x in args.log_vectors.split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench-compaction-"))
    before = machine_info()
    try:
        rows = measure(lib_dir / VECTORS_FILE, sizes, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    after = machine_info()
    command = "python -m bench.compaction_cost " + " ".join(
        a for a in (argv or sys.argv[1:]) if a != "--write"
    )
    text = table(rows, args.photos, args.model, before, after, command.strip())
    print(text)
    if args.write:
        write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

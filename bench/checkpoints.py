"""Checkpoint cost against store size: the change log beside rewriting the whole store.

    python -m bench.checkpoints [--size 100000] [--every 512] [--samples 10000,30000,100000]

Grows a ``VectorStore`` from empty to ``--size`` random 512-d unit vectors, ``--every`` at a
time with a checkpoint (``save``) after each, as the indexer does; the store compacts its
log as it would in use, and closes at the end (its idle compaction included). Measured:

- bytes each checkpoint writes (the process's write counter around ``save`` and any
  compaction it starts) and its time (``save`` alone: what the writer waits for);
- the old way at every checkpoint: the bytes of the whole store file (written to memory,
  ``/dev/shm``, so as not to wear the disk); at the sample sizes also its time on the disk
  (a real full rewrite: temp file, fsync, verify, rename; median of 3);
- the totals from empty to ``--size`` against the final store's size.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from bench._common import how_busy, machine_info, write_section
from index.atomic import atomic_target
from index.vector_log import log_path
from index.vector_snapshot import check_index_file
from index.vector_store import DEFAULT_EF_CONSTRUCTION, VectorStore

SECTION = "## Checkpoints: the change log against full rewrites (issue 18)"
DIM = 512


def _written_bytes() -> int:
    """Bytes this process has passed to write() so far (Linux /proc/self/io ``wchar``)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    raise RuntimeError("no write counter in /proc/self/io")


def _unit_vectors(rng: np.random.Generator, n: int) -> np.ndarray:
    x = rng.standard_normal((n, DIM), dtype=np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _full_rewrite(store: VectorStore, path: Path) -> None:
    """The old checkpoint: the whole index to a temp file, fsync, verify, rename."""
    with atomic_target(path) as tmp:
        store.save_file(tmp)
        check_index_file(tmp)


def _full_size(store: VectorStore, shm: Path) -> int:
    target = shm / "full.hnsw"
    store.save_file(target)
    size = target.stat().st_size
    target.unlink()
    return size


def run(size: int, every: int, samples: list[int], ef_construction: int) -> dict:
    rng = np.random.default_rng(18)
    tmp = Path(tempfile.mkdtemp(prefix="bench-checkpoints-"))
    shm = Path(tempfile.mkdtemp(prefix="bench-checkpoints-", dir="/dev/shm"))
    store = VectorStore(tmp / "vectors.hnsw", DIM, ef_construction=ef_construction)
    rows: list[dict] = []
    sampled: list[dict] = []
    new_total = old_total = 0
    compactions: list[float] = []
    started = time.perf_counter()
    for count in range(every, size + every, every):
        count = min(count, size)
        fresh = count - len(store)
        store.add(range(len(store) + 1, count + 1), _unit_vectors(rng, fresh))
        before, t0 = _written_bytes(), time.perf_counter()
        store.save()
        save_s = time.perf_counter() - t0
        if store.compactor.running:
            t1 = time.perf_counter()
            store.compactor.join()
            compactions.append(time.perf_counter() - t1)
        written = _written_bytes() - before
        full = _full_size(store, shm)
        new_total += written
        old_total += full
        rows.append({"n": count, "bytes": written, "save_ms": save_s * 1000, "full_bytes": full})
        if samples and count >= samples[0]:
            samples.pop(0)
            times = []
            for _ in range(3):
                t0 = time.perf_counter()
                _full_rewrite(store, tmp / "old-way.hnsw")
                times.append(time.perf_counter() - t0)
            (tmp / "old-way.hnsw").unlink()
            recent = rows[-5:]
            sampled.append(
                {
                    "n": count,
                    "log_bytes_median": statistics.median(r["bytes"] for r in recent),
                    "log_ms_median": statistics.median(r["save_ms"] for r in recent),
                    "full_bytes": full,
                    "full_ms_median": statistics.median(times) * 1000,
                }
            )
        print(f"{count}/{size} stored", flush=True)
    before = _written_bytes()
    store.close()  # the idle compaction a writer does when it closes
    new_total += _written_bytes() - before
    final = store.path.stat().st_size + log_path(store.path).stat().st_size
    for leftover in (*tmp.iterdir(), *shm.iterdir()):
        leftover.unlink()
    tmp.rmdir()
    shm.rmdir()
    return {
        "size": size,
        "every": every,
        "ef_construction": ef_construction,
        "seconds": round(time.perf_counter() - started, 1),
        "samples": sampled,
        "compactions": 1 + store.compactor.completed,  # the first save writes one too
        "compaction_s_median": round(statistics.median(compactions), 2) if compactions else None,
        "writer_wait_s_max": round(max(store.compactor.writer_waits_s, default=0.0), 3),
        "new_total_bytes": new_total,
        "old_total_bytes": old_total,
        "final_store_bytes": final,
        "checkpoints": len(rows),
        "log_ms_p95": float(np.percentile([r["save_ms"] for r in rows], 95)),
    }


def _mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 1e5 else f"{n / 1e3:,.1f} kB"


def table(result: dict, machine: dict, command: str) -> str:
    rate = result["size"] / result["seconds"]
    largest = result["samples"][-1]
    per_vector = largest["full_bytes"] / largest["n"]
    lines = [
        SECTION,
        "",
        f"Command: `{command}`  ",
        f"Machine: {machine['cores']} cores"
        f" ({how_busy(machine['loadavg_1_5_15'], machine['cores'])}), {machine['cpu']},"
        f" load average {machine['loadavg_1_5_15']}, {machine['date']}.",
        "",
        f"A store grown from empty to {result['size']:,} random {DIM}-d unit vectors, with a"
        f" checkpoint every {result['every']} (as the indexer does). Per checkpoint at a few"
        " store sizes (the log: median of the last 5 checkpoints; the full rewrite: median of"
        " 3 on the same disk):",
        "",
        "| vectors in the store | log: bytes written | log: time | full rewrite: bytes |"
        " full rewrite: time | bytes ratio |",
        "|---|---|---|---|---|---|",
    ]
    for s in result["samples"]:
        lines.append(
            f"| {s['n']:,} | {_mb(s['log_bytes_median'])} | {s['log_ms_median']:.0f} ms |"
            f" {_mb(s['full_bytes'])} | {s['full_ms_median']:.0f} ms |"
            f" {s['full_bytes'] / s['log_bytes_median']:,.0f}x |"
        )
    new, old, final = (
        result["new_total_bytes"],
        result["old_total_bytes"],
        result["final_store_bytes"],
    )
    lines += [
        "",
        f"| from empty to {result['size']:,} vectors ({result['checkpoints']} checkpoints) |"
        " bytes written | / final store |",
        "|---|---|---|",
        f"| change log + compactions ({result['compactions']} snapshots written) |"
        f" {_mb(new)} | {new / final:.2f}x |",
        f"| full rewrite at every checkpoint (before) | {_mb(old)} | {old / final:.1f}x |",
        "",
        f"Final store (snapshot + log): {_mb(final)}. A checkpoint's time, p95 over all"
        f" {result['checkpoints']}: {result['log_ms_p95']:.0f} ms. Compaction runs in a"
        " background thread (median"
        f" {result['compaction_s_median']} s here, snapshot write and fsync); the writer"
        " waits only while the index is copied in memory and the files are swapped"
        + (
            f" (at most {result['writer_wait_s_max'] * 1000:.0f} ms here)"
            if "writer_wait_s_max" in result
            else ""
        )
        + ", queries never.",
        "",
        f"Growing the store took {result['seconds']:.0f} s ({rate:.0f} vectors/s, nearly all"
        " of it HNSW insertion on the shared cores), so larger stores were not grown here"
        + (
            f" (built with ef_construction {result['ef_construction']} to save time: the"
            " files' sizes, and so what a checkpoint or a compaction writes, do not depend"
            " on it; HNSW allocates M links per element either way)."
            if result.get("ef_construction", DEFAULT_EF_CONSTRUCTION) != DEFAULT_EF_CONSTRUCTION
            else "."
        )
        + f" A full rewrite costs {per_vector:,.0f} bytes per stored vector, so it grows with"
        " the store (arithmetic, not measured: about"
        f" {per_vector * 1e6 / 1e9:.1f} GB per checkpoint at 1M); a log checkpoint writes"
        " the vectors that changed and does not.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--every", type=int, default=512)
    parser.add_argument("--samples", default="10000,30000,100000")
    parser.add_argument(
        "--ef-construction",
        type=int,
        default=DEFAULT_EF_CONSTRUCTION,
        help="a smaller one grows the store faster; the files' sizes do not depend on it",
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    samples = sorted(int(s) for s in args.samples.split(","))
    result = run(args.size, args.every, samples, args.ef_construction)
    machine = machine_info()
    command = f"python -m bench.checkpoints --size {args.size} --samples {args.samples}"
    if args.ef_construction != DEFAULT_EF_CONSTRUCTION:
        command += f" --ef-construction {args.ef_construction}"
    print(json.dumps({"result": result, "machine": machine}, indent=2))
    text = table(result, machine, command)
    print(text)
    if not args.no_write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()

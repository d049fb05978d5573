"""Cold command-line text query: `photosearch search` from process start to results
printed, with `watch` running (answered by its query service) and without it (the
in-process search, as every search ran before), on synthetic libraries.

Each library is bench.scale's (ViT-B-32 with random weights: vectors sampled from a
distribution fitted to real encoder vectors, straight into the store, plus catalog rows),
copied so `watch` can open it for writing. Its folder does not exist on disk, so `watch`
scans nothing; the text of its photos is recorded as read (none), so the OCR pass has
nothing to do either: the service's process is idle, as a watch of a settled library is.

Each run is a fresh `python -m app.cli ... search` process timed from spawn to exit (it
exits right after printing); its peak RSS and CPU time come from the kernel (wait4), and
the service's CPU time per query from /proc (Linux). The answers through the service are
checked against the in-process answers to the same queries.

A size may name another model than --model: ``1000000:demo`` (a cached 1M store of a
demo model, where the 512-d one is not built).

    python -m bench.cold_query --sizes 10000 100000 1000000:demo --runs 30 --cold-runs 3 --write
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench._common import REPO, how_busy, machine_info, percentiles, write_section
from bench.scale.build import build_library
from bench.scale.queries import query_texts
from bench.scale.vectors import base_vectors, fit_distribution, model_case

SECTION = "## Cold command-line query: with and without the query service"
M, EF_CONSTRUCTION = 16, 100  # bench.scale's defaults, so its cached libraries are reused
# Forks and execs the search and reports its time to exit and its peak RSS: a child of
# this small process, not of the benchmark (whose size a forked child's peak would count).
LAUNCHER = """import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
ms = (time.perf_counter() - start) * 1000
cpu_ms = (usage.ru_utime + usage.ru_stime) * 1000
with open(sys.argv[1], "w") as f:
    f.write(f"{ms} {usage.ru_maxrss} {cpu_ms} {os.waitstatus_to_exitcode(status)}")
"""


def scale_library(model: str, weights: str | None, n: int) -> Path | None:
    """bench.scale's cached library of ``n`` photos for the model, if one is built (never
    builds it; a caller copies it before opening it for writing)."""
    case = model_case(model, weights)
    if case is None:
        return None
    lib_dir = case.dir / f"lib-n{n}-M{M}-efc{EF_CONSTRUCTION}"
    return lib_dir if (lib_dir / "build.json").exists() else None


def synthetic_library(model: str, weights: str | None, n: int, work: Path) -> Path:
    """bench.scale's library of ``n`` photos (built once, cached), copied into ``work``."""
    case = model_case(model, weights)
    assert case is not None, f"no {model} here"
    lib_dir = case.dir / f"lib-n{n}-M{M}-efc{EF_CONSTRUCTION}"
    if lib_dir.exists() and not (lib_dir / "build.json").exists():
        raise SystemExit(f"{lib_dir.name} is being built by another run (or was interrupted)")
    fit = fit_distribution(case, 8, 0)
    base = base_vectors(case, fit, n, 0)
    built = build_library(case, base, n, M, EF_CONSTRUCTION, checkpoints={}, queries=base[:0])
    target = work / f"library-{n}"
    shutil.copytree(built["dir"], target)
    _mark_text_read(target)
    return target


def _mark_text_read(library_dir: Path) -> None:
    """Every photo's text as read, and empty: the OCR pass has no work."""
    from engine.ocr import engine_id
    from index.library import Library

    with Library(library_dir, writable=True) as library:
        hashes = library.catalog.read("SELECT DISTINCT hash FROM photos WHERE hash IS NOT NULL")
        now = time.time()
        with library.catalog.transaction() as db:
            db.executemany(
                "INSERT INTO photo_text(hash, engine, norm, read_at) VALUES (?, ?, '', ?)",
                [(h, engine_id(), now) for (h,) in hashes],
            )


class Run:
    def __init__(self, ms: float, rss_mb: float, cpu_ms: float, out: str) -> None:
        self.ms, self.rss_mb, self.cpu_ms, self.out = ms, rss_mb, cpu_ms, out
        self.service_cpu_ms: float | None = None


def timed_search(library: Path, text: str, *, service: bool) -> Run:
    """Milliseconds from spawn to exit, peak RSS, CPU time and stdout of one search."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("PHOTOSEARCH_NO_SERVICE", None)
    if not service:
        env["PHOTOSEARCH_NO_SERVICE"] = "1"
    cmd = [sys.executable, "-m", "app.cli", "--library", str(library), "search", text]
    return timed_run(cmd, env)


def timed_run(cmd: list[str], env: dict | None = None) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        report, err = Path(tmp) / "report", Path(tmp) / "stderr"
        with open(err, "wb") as err_file:
            launch = [sys.executable, "-S", "-c", LAUNCHER, str(report), *cmd]
            out = subprocess.run(launch, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=err_file)
        ms, rss_kb, cpu_ms, code = report.read_text().split()
        if int(code):
            raise RuntimeError(f"{cmd[2:4]} failed ({code}): {err.read_text()[-500:]}")
    return Run(float(ms), int(rss_kb) / 1024, float(cpu_ms), out.stdout.decode())


def process_cpu_ms(pid: int) -> float | None:
    """CPU time a process has used (user + system), or None where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def start_watch(library: Path) -> tuple[subprocess.Popen, float]:
    from app.query_client import ask
    from app.query_protocol import PING, VERSION

    started = time.perf_counter()
    cmd = [sys.executable, "-m", "app.cli", "--library", str(library), "watch"]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not (ask(library, {"v": VERSION, "op": PING}, timeout=5) or {}).get("ok"):
        if proc.poll() is not None:
            raise RuntimeError("watch exited before serving")
        time.sleep(0.2)
    return proc, time.perf_counter() - started


def measure(args: argparse.Namespace, size: str, work: Path) -> dict:
    runs, cold_runs = args.runs, args.cold_runs
    n, _, model = size.partition(":")
    n, weights = int(n), (None if model else args.weights)
    model = model or args.model
    library = synthetic_library(model, weights, n, work)
    count = max(runs, cold_runs)
    texts = list(dict.fromkeys(query_texts(4 * count, seed=7)))[:count]  # distinct queries
    cold = [timed_search(library, texts[i], service=False) for i in range(cold_runs)]
    watch, ready_s = start_watch(library)
    try:
        timed_search(library, "warm up", service=True)  # the service's first query
        warm, bare = [], []
        for i in range(runs):  # interleaved: both see the same load
            before = process_cpu_ms(watch.pid)
            warm.append(timed_search(library, texts[i], service=True))
            after = process_cpu_ms(watch.pid)
            if before is not None and after is not None:
                warm[-1].service_cpu_ms = after - before
            bare.append(timed_run([sys.executable, "-c", "pass"]))
    finally:
        watch.send_signal(signal.SIGTERM)
        watch.wait(timeout=300)
    same = all(warm[i].out == cold[i].out for i in range(min(len(cold), len(warm))))
    shutil.rmtree(library)
    return {
        "model": model + (f" ({weights} weights)" if weights else ""),
        "n": n,
        "watch_ready_s": round(ready_s, 1),
        "same_output": same,
        "service": _summary(warm),
        "bare_python": _summary(bare),
        "in_process": _summary(cold),
    }


def _summary(samples: list[Run]) -> dict:
    service_cpu = [s.service_cpu_ms for s in samples if s.service_cpu_ms is not None]
    return {
        "runs": len(samples),
        **percentiles([s.ms for s in samples]),
        "rss_mb": round(float(np.median([s.rss_mb for s in samples])), 1),
        "cpu_ms": round(float(np.median([s.cpu_ms for s in samples])), 1),
        "service_cpu_ms": round(float(np.median(service_cpu)), 1) if service_cpu else None,
    }


def table(results: list[dict], machine: dict, command: str) -> str:
    rows = [
        "| photos | model | search | runs | p50 | p95 | client peak RSS (median)"
        " | client CPU (median) | service CPU per query (median) |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for label, key in (
            ("through watch's query service", "service"),
            ("in-process", "in_process"),
            ("floor: `python -c pass`, interleaved", "bare_python"),
        ):
            s = r[key]
            service_cpu = f"{s['service_cpu_ms']:.0f} ms" if s["service_cpu_ms"] else ""
            rows.append(
                f"| {r['n']:,} | {r['model']} | {label} | {s['runs']} | {s['p50_ms']:.0f} ms"
                f" | {s['p95_ms']:.0f} ms | {s['rss_mb']:.0f} MB | {s['cpu_ms']:.0f} ms"
                f" | {service_cpu} |"
            )
        ratio = r["in_process"]["p50_ms"] / r["service"]["p50_ms"]
        rows.append(f"| {r['n']:,} | | p50 ratio, in-process / service | | {ratio:.0f}x | | | | |")
    same = all(r["same_output"] for r in results)
    return "\n".join(
        [
            SECTION,
            "",
            f"`{command}` ({machine['date']}; {machine['cores']} cores, {machine['cpu']},"
            f" {how_busy(machine['loadavg_1_5_15'], machine['cores'])}:"
            f" load {machine['loadavg_1_5_15']}).",
            "",
            "A text query from a new shell, process start to exit (it exits right after"
            " printing the results), and the peak RSS of that process. With `watch` running,"
            " `photosearch search` asks its query service (a Unix socket in the library"
            " folder) and imports neither torch nor open_clip; in-process (`--no-service`,"
            " as every search ran before), the process imports them, loads the text tower"
            " and the store, and searches. Libraries: bench.scale's synthetic vectors for the"
            " model named, with catalog rows; the service's process is otherwise idle. Each"
            " run asks a different query; the service's first query is not counted. CPU:"
            " user + system time of the client process, and what the service's process used"
            " while it answered (the query's text encoding and the search).",
            "",
            *rows,
            "",
            "The answers through the service were identical to the in-process answers to"
            f" the same queries: {'yes' if same else 'NO'}. `watch` took"
            f" {', '.join(str(r['watch_ready_s']) + ' s' for r in results)} to start"
            " answering. Targets: p95 <= 200 ms at 10k photos and <= 300 ms at 1M through"
            " the service.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", nargs="+", default=["10000"], help="N or N:MODEL (e.g. 1000000:demo)"
    )
    parser.add_argument("--model", default="ViT-B-32", help="the library's model (ViT-B-32)")
    parser.add_argument("--weights", default=None, help="its weights (random for ViT-B-32)")
    parser.add_argument("--runs", type=int, default=30, help="searches through the service")
    parser.add_argument("--cold-runs", type=int, default=5, help="in-process searches")
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    args = parser.parse_args()
    if args.weights is None and args.model == "ViT-B-32":
        args.weights = "random"
    machine = machine_info()
    with tempfile.TemporaryDirectory(prefix="cold-query-") as tmp:
        results = [measure(args, n, Path(tmp)) for n in args.sizes]
    command = "python -m bench.cold_query " + " ".join(sys.argv[1:])
    text = table(results, machine, command.strip())
    print(text)
    if args.write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()

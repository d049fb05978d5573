"""The window's pause for a whole-index write (a first snapshot or a compaction) at library
scale: each way of writing the snapshot side by side in one run, alternating.

The window opens bench.browse's library (``--photos`` catalog rows and vectors), indexes a
real demo folder meanwhile (the load) and scrolls its grid, with the event-loop probe
running. Every ``EVERY_S`` the store compacts (a whole-index write), the ways taking turns
in rotating order. The ways (``bench/whole_index_writes.py``):

- ``from the files (now)``: a separate process (``index/snapshot_build.py``, at a lowered
  priority) loads the last snapshot file, replays the change log up to the offset noted,
  writes the new snapshot and exits; the window's process only starts it and waits;
- ``fork`` (the way before): a forked child writes the file from its copy-on-write image;
- ``memory copy`` (the way before that): the index copied in memory under the GIL, then
  written from the copy.

Per write: the longest the event loop was blocked during it; the step that starts the
build under the store's write lock (starting the process; the ``fork()`` call; the memory
copy: the last two hold Python's GIL throughout), in wall time and in the writing
thread's CPU time (the part a busy machine cannot inflate); the whole write's duration;
the CPU time of the process that wrote the file when it is a child (the files way
replays the log there); the minor page faults the window's process took meanwhile
(copy-on-write after a fork, fresh memory for a copy).

Usage: ``python -m bench.snapshot_pause [--photos 100000] [--rounds 6] [--model M
--weights W] [--write]`` (``--model ViT-B-32 --weights random``: a 512-d index, 3.3 times
the demo model's bytes at 100k (220 MB against 66 MB), in a window running that model).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench._common import demo_scenes, how_busy, machine_info, write_section  # noqa: E402
from bench.browse import _timed_probe, build_library, working_copy  # noqa: E402
from bench.gui import quiet_qt_warnings, wait_for  # noqa: E402
from bench.whole_index_writes import (  # noqa: E402
    FILES,
    FILES_IDLE,
    FORK,
    MEMORY_COPY,
    compacting,
)

CONTROL = "no write (control)"
IDLE_PROCESS = "a process that does nothing (control)"
from engine.registry import best_demo_model  # noqa: E402
from index.snapshot_build import WRITER_NICENESS  # noqa: E402

SECTION = "## The window's pause for a whole-index write: compaction from the files (issue 19)"
EVERY_S = 1.5
WAYS = (FILES, FORK, MEMORY_COPY, CONTROL, IDLE_PROCESS)


def run(
    photos: int, model: str, weights: str | None, rounds: int, index_photos: int, ways=WAYS
) -> dict:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.gui.main_window import GuiOptions, MainWindow
    from app.gui.settings import GuiSettings, use_settings_dir

    app = QApplication.instance() or QApplication([])
    quiet_qt_warnings()
    lib_dir, thumbs = build_library(photos, model, weights)
    work = Path(tempfile.mkdtemp(prefix="bench-snapshot-"))
    use_settings_dir(work)
    library = working_copy(lib_dir, thumbs, work, photos)
    options = GuiOptions(library=str(library), model=model, weights=weights)
    window = MainWindow(options, GuiSettings())
    window.resize(1280, 800)
    window.show()
    out: dict = {"photos": photos, "model": model, "writes": {way: [] for way in ways}}
    try:
        browse = window.controller.browse
        ready: list[bool] = []
        window.controller.ready.connect(lambda: ready.append(True))
        wait_for(app, lambda: ready and browse.count >= photos, 600)
        start_indexing(app, window, work, index_photos)
        store = window.controller.session.library.store
        # Each write when it does meet scrolling (the window now waits for a pause and
        # stops the build while the user scrolls: bench.browse measures that).
        store.compactor.defer_while = lambda: False
        rng = random.Random(7)
        bar = window.results_view.verticalScrollBar()
        scroller = QTimer()
        scroller.setInterval(16)
        scroller.timeout.connect(
            lambda: bar.setValue(
                rng.randrange(bar.maximum())
                if rng.random() < 0.04
                else min(bar.maximum(), bar.value() + 40)
            )
        )
        scroller.start()
        probe = _timed_probe()(interval_ms=5)
        probe.start()
        order = [ways[(r + i) % len(ways)] for r in range(rounds) for i in range(len(ways))]
        for way in order:
            pause = time.monotonic() + EVERY_S
            wait_for(app, lambda p=pause: time.monotonic() > p, 60)
            last = out["writes"][FILES][-1:]  # the control lasts as long as the last write
            write = timed_write(store, way, last[0]["end"] - last[0]["start"] if last else 1.0)
            write["indexing"] = window.status.progress.isVisible()
            wait_for(app, lambda w=write: not w["thread"].is_alive(), 120)
            out["writes"][way].append(write)
        after = time.monotonic() + 0.5
        wait_for(app, lambda: time.monotonic() > after, 60)
        probe.stop()
        scroller.stop()
        for writes in out["writes"].values():
            for w in writes:
                del w["thread"]
                w["blocked_ms"], w["busy_ms"] = longest_block(probe, w["start"], w["end"])
    finally:
        window.close()
        shutil.rmtree(work, ignore_errors=True)
    return out


def start_indexing(app, window, work: Path, photos: int) -> None:
    """The load: a warm-up folder indexed and read first (its OCR engines built once, not
    measured), then a larger demo folder that goes on indexing while the writes run."""
    warm, folder = work / "warm-up", work / "new photos"
    for target, paths in ((warm, demo_scenes(8, seed=4)), (folder, demo_scenes(photos, 3))):
        target.mkdir()
        for path in paths:
            shutil.copy(path, target)
    read: list[object] = []
    signals = window.controller.folders.signals
    signals.text_progress.connect(lambda p: p.done >= p.total and read.append(p))
    window.controller.folders.add_folder(str(warm))
    wait_for(app, lambda: read, 300)
    window.controller.folders.add_folder(str(folder))
    wait_for(app, lambda: window.status.progress.isVisible(), 60)


def timed_write(store, way: str, control_s: float) -> dict:
    """Compact ``store`` once in a thread, its snapshot built ``way`` (or, the control,
    wait ``control_s``); returns the record the thread fills in."""
    record: dict = {}

    def compact() -> None:
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        record["start"] = time.perf_counter()
        try:
            if way in (CONTROL, IDLE_PROCESS):
                record["held_ms"] = record["held_cpu_ms"] = 0.0
                if way == CONTROL:
                    time.sleep(control_s)
                else:  # started as the files way's is, at its priority; it only sleeps
                    sleeper = [sys.executable, "-c", f"import time; time.sleep({control_s})"]
                    process = subprocess.Popen(sleeper)
                    os.setpriority(os.PRIO_PROCESS, process.pid, WRITER_NICENESS)
                    process.wait()
            else:
                with compacting(store, way, record):
                    store.compactor.compact()
        finally:
            record["end"] = time.perf_counter()
        record["faults"] = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
        record["child_cpu_ms"] = max(0.0, used * 1000)

    record["thread"] = threading.Thread(target=compact)
    record["thread"].start()
    return record


def longest_block(probe, start: float, end: float) -> tuple[float, float]:
    """The longest late tick whose wait overlapped [start, end], and the longest counted
    only as far as the window's process used CPU in it (a wait for a core counts 0)."""
    during = [
        (ms, busy)
        for (t, ms), busy in zip(probe.ticks, probe.busy_ms, strict=True)
        if t >= start and t - ms / 1000 <= end
    ]
    return max((ms for ms, _ in during), default=0.0), max((b for _, b in during), default=0.0)


def heading(model: str) -> str:
    """One section per model: the demo model's, and one per larger index measured."""
    return SECTION if model == best_demo_model() else SECTION.replace(" (", f", {model} (")


def table(r: dict, machine_before: dict, machine_after: dict, command: str) -> str:
    def median(way: str, key: str) -> float:
        return statistics.median(w[key] for w in r["writes"][way])

    rows = []
    for way in r["writes"]:
        writes = r["writes"][way]
        rows.append(
            f"| {way} | {len(writes)} | {median(way, 'blocked_ms'):.1f}"
            f" | {max(w['blocked_ms'] for w in writes):.1f} | {median(way, 'busy_ms'):.1f}"
            f" | {median(way, 'held_ms'):.1f} | {median(way, 'held_cpu_ms'):.1f}"
            f" | {statistics.median((w['end'] - w['start']) * 1000 for w in writes):.0f}"
            f" | {median(way, 'child_cpu_ms'):.0f} | {median(way, 'faults'):,.0f} |"
        )
    base = median(FORK, "blocked_ms")
    busy = how_busy(machine_before["loadavg_1_5_15"], machine_before["cores"])
    everything = [w for writes in r["writes"].values() for w in writes]
    indexing, total = sum(w["indexing"] for w in everything), len(everything)
    return "\n".join(
        [
            heading(r["model"]),
            "",
            f"Command: `{command}`  ",
            f"Machine: {machine_before['cores']} cores ({busy}), {machine_before['cpu']},"
            " load average"
            f" {machine_before['loadavg_1_5_15']} at the start and"
            f" {machine_after['loadavg_1_5_15']} at the end, Python {machine_before['python']},"
            f" Qt platform `{os.environ.get('QT_QPA_PLATFORM')}`; date"
            f" {machine_before['date']}.  ",
            f"Library: {r['photos']:,} photos ({r['model']} vectors, bench.browse's); the"
            " window scrolls its grid and indexes a demo folder while the store compacts"
            f" every {EVERY_S} s, the ways taking turns in rotating order"
            f" ({indexing} of {total} writes started while the folder was still indexing).",
            "",
            "| whole-index write | writes | event loop blocked, median ms | max ms"
            " | blocked, process on CPU, median ms | start step, median ms (wall)"
            " | start step, median ms (thread CPU) | write, median ms"
            " | writing child's CPU, median ms | minor faults, median |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
            "The start step runs in the window's process under the store's write lock:"
            " starting the building process (vfork, the GIL released), the `fork()` call"
            " (GIL held while the kernel copies the process's page tables, so it grows with"
            " the process's memory) or the memory copy of the index (GIL held; it grows"
            " with the index). Median block, from the files against fork:"
            f" {median(FILES, 'blocked_ms') / base:.2f}x; memory copy against fork:"
            f" {median(MEMORY_COPY, 'blocked_ms') / base:.2f}x. The files way's write"
            " includes the new process's start (Python, numpy, hnswlib), loading the"
            " snapshot and replaying the log written since the previous compaction. The"
            " control rows write nothing, for as long as the files way's previous write"
            " took: the blocks the load alone causes, and with a process started as the"
            " files way's is that only sleeps (what starting it costs, without its work)."
            " 'Process on CPU' counts of each late tick only the CPU time the window's"
            " process used in that gap (a wait for a core counts 0).",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.snapshot_pause", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=6, help="writes per way")
    parser.add_argument("--index-photos", type=int, default=1500, help="indexed meanwhile")
    parser.add_argument("--model", default=best_demo_model())
    parser.add_argument("--weights", help="e.g. random, for a model without its weights here")
    parser.add_argument(
        "--idle-priority", action="store_true", help="also the files way at SCHED_IDLE"
    )
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    before = machine_info()
    ways = (*WAYS, FILES_IDLE) if args.idle_priority else WAYS
    result = run(args.photos, args.model, args.weights, args.rounds, args.index_photos, ways)
    after = machine_info()
    command = "python -m bench.snapshot_pause " + " ".join(
        a for a in (argv or sys.argv[1:]) if a != "--write"
    )
    text = table(result, before, after, command.strip())
    print(text)
    if args.write:
        write_section(heading(args.model), text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

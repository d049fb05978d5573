"""The window's pause for a whole-index write (a first snapshot or a compaction) at library
scale: each way of writing the snapshot side by side in one run, alternating.

The window opens bench.browse's library (``--photos`` catalog rows and vectors), indexes a
real demo folder meanwhile (the load) and scrolls its grid, with the event-loop probe
running. Every ``EVERY_S`` the store compacts (a whole-index write), the ways taking turns
in rotating order. The ways:

- ``fork``: a forked child writes the file (``SnapshotWrite``) at the child's lowered
  priority (``vector_snapshot.WRITER_NICENESS``);
- ``fork, same priority``: the same, the child at the window's priority;
- ``memory copy``: the index copied in memory under the GIL, then written from that
  copy (``SnapshotWrite(fork=False)``, the way before the fork).

Per write: the longest the event loop was blocked during it; the step that holds Python's
GIL (the ``fork()`` call, or the memory copy), in wall time and in the writing thread's
CPU time (the part a busy machine cannot inflate); the whole write's duration; the
minor page faults the window's process took meanwhile (copy-on-write after a fork, fresh
memory for a copy).

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
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench._common import demo_scenes, machine_info, write_section  # noqa: E402
from bench.browse import _timed_probe, build_library, working_copy  # noqa: E402
from bench.gui import quiet_qt_warnings, wait_for  # noqa: E402
from engine.registry import best_demo_model  # noqa: E402

SECTION = "## The window's pause for a whole-index write (issue 19)"
EVERY_S = 1.5
WAYS = ("fork", "fork, same priority", "memory copy")


def run(photos: int, model: str, weights: str | None, rounds: int, index_photos: int) -> dict:
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
    out: dict = {"photos": photos, "model": model, "writes": {way: [] for way in WAYS}}
    try:
        browse = window.controller.browse
        ready: list[bool] = []
        window.controller.ready.connect(lambda: ready.append(True))
        wait_for(app, lambda: ready and browse.count >= photos, 600)
        start_indexing(app, window, work, index_photos)
        store = window.controller.session.library.store
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
        order = [WAYS[(r + i) % len(WAYS)] for r in range(rounds) for i in range(len(WAYS))]
        for way in order:
            pause = time.monotonic() + EVERY_S
            wait_for(app, lambda p=pause: time.monotonic() > p, 60)
            write = timed_write(store, way)
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
                w["blocked_ms"] = longest_block(probe, w["start"], w["end"])
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


def timed_write(store, way: str) -> dict:
    """Compact ``store`` once in a thread, its snapshot written ``way``; returns the
    record the thread fills in."""
    from index import vector_snapshot
    from index.vector_store import VectorStore

    record: dict = {}

    def start_snapshot(self, path):
        niceness = vector_snapshot.WRITER_NICENESS
        if way == "fork, same priority":
            vector_snapshot.WRITER_NICENESS = 0
        try:
            with self.write_lock:
                wall, cpu = time.perf_counter(), time.thread_time()
                started = vector_snapshot.SnapshotWrite(
                    self._index, path, fork=way != "memory copy"
                )
                record["held_ms"] = (time.perf_counter() - wall) * 1000
                record["held_cpu_ms"] = (time.thread_time() - cpu) * 1000
            return started
        finally:
            vector_snapshot.WRITER_NICENESS = niceness

    def compact() -> None:
        real = VectorStore.start_snapshot
        VectorStore.start_snapshot = start_snapshot  # type: ignore[method-assign]
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        record["start"] = time.perf_counter()
        try:
            store.compactor.compact()
        finally:
            record["end"] = time.perf_counter()
            VectorStore.start_snapshot = real  # type: ignore[method-assign]
        record["faults"] = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults

    record["thread"] = threading.Thread(target=compact)
    record["thread"].start()
    return record


def longest_block(probe, start: float, end: float) -> float:
    """The longest late tick whose wait overlapped [start, end]."""
    return max(
        (ms for t, ms in probe.ticks if t >= start and t - ms / 1000 <= end),
        default=0.0,
    )


def heading(model: str) -> str:
    """One section per model: the demo model's, and one per larger index measured."""
    return SECTION if model == best_demo_model() else SECTION.replace(" (", f", {model} (")


def table(r: dict, machine_before: dict, machine_after: dict, command: str) -> str:
    def median(way: str, key: str) -> float:
        return statistics.median(w[key] for w in r["writes"][way])

    rows = []
    for way in WAYS:
        writes = r["writes"][way]
        rows.append(
            f"| {way} | {len(writes)} | {median(way, 'blocked_ms'):.1f}"
            f" | {max(w['blocked_ms'] for w in writes):.1f}"
            f" | {median(way, 'held_ms'):.1f} | {median(way, 'held_cpu_ms'):.1f}"
            f" | {statistics.median((w['end'] - w['start']) * 1000 for w in writes):.0f}"
            f" | {median(way, 'faults'):,.0f} |"
        )
    base = median("memory copy", "blocked_ms")
    load = machine_before["loadavg_1_5_15"][0]
    busy = "shared with other jobs, busy" if load > machine_before["cores"] / 2 else "idle"
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
            " | GIL held, median ms (wall) | GIL held, median ms (thread CPU)"
            " | write, median ms | minor faults, median |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
            "'GIL held' is the step no other thread of the window's process can run"
            " Python through: the `fork()` call (the kernel copies the process's page"
            " tables, so it grows with the process's memory) or the memory copy of the"
            " index (it grows with the index). Median block, fork against memory copy:"
            f" {median('fork', 'blocked_ms') / base:.2f}x; fork at the same priority"
            f" against memory copy: {median('fork, same priority', 'blocked_ms') / base:.2f}x."
            " GIL held (thread CPU), fork against memory copy:"
            f" {median('fork', 'held_cpu_ms') / median('memory copy', 'held_cpu_ms'):.2f}x.",
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
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    before = machine_info()
    result = run(args.photos, args.model, args.weights, args.rounds, args.index_photos)
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

"""Crash safety: SIGKILL an indexing process at random moments, then check the library.

After every kill the library must open, the catalog must never claim a vector the saved
store lacks, and (after the writer's reconcile) catalog and store must agree. In the end
every photo on disk is indexed exactly once, with the vector of its own bytes.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from index_support import (
    FakeEncoder,
    check_after_crash,
    indexed_paths,
    pil_decode,
    write_photo,
)

from index.library import Library

WORKER = Path(__file__).resolve().parent / "crash_worker.py"
REPO = Path(__file__).resolve().parents[2]
PHOTOS = 300
KILLS = 12


def _start(library: Path, folder: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(library), str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


@pytest.mark.timeout(300)
def test_sigkill_at_random_points_never_loses_or_duplicates(tmp_path):
    rng = random.Random(int(os.environ.get("CRASH_SEED", "5")))
    folder = tmp_path / "photos"
    for i in range(PHOTOS):
        write_photo(folder / f"d{i % 7}" / f"p{i:04d}.jpg", seed=i)
    library_dir = tmp_path / "library"

    kills = 0
    finished_early = 0
    disk_changed = False
    progress: list[tuple[int, int]] = []  # (indexed after the run, photos on disk)
    while kills < KILLS:
        proc = _start(library_dir, folder)
        # Kill after a random number of batches plus a random fraction of the next one,
        # so kills land while decoding, encoding, saving the store or committing.
        target, seen = rng.randint(1, 6), 0
        for line in proc.stdout:
            seen += line.startswith("progress")
            if seen >= target:
                break
        time.sleep(rng.uniform(0, 0.05))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        else:
            # The run finished everything before the kill: give the next run new work.
            finished_early += 1
            for j in range(60):
                write_photo(
                    folder / "new" / f"n{finished_early:02d}_{j:02d}.jpg",
                    seed=10_000 + 100 * finished_early + j,
                )
        proc.communicate(timeout=60)
        progress.append((check_after_crash(library_dir), len(list(folder.rglob("*.jpg")))))
        if kills == KILLS // 2 and not disk_changed:  # the disk changes between runs
            disk_changed = True
            (folder / "d0" / "p0000.jpg").unlink()
            os.rename(folder / "d1" / "p0001.jpg", folder / "d2" / "moved.jpg")
            write_photo(folder / "d3" / "late.jpg", seed=9999)
        if finished_early > 20:
            pytest.fail("the worker always finished before the kill: nothing was tested")

    # Some kills must have landed mid-way, or nothing was tested.
    assert any(0 < n < total for n, total in progress), progress
    proc = _start(library_dir, folder)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and "done" in out, err

    on_disk = sorted(str(p) for p in folder.rglob("*.jpg"))
    with Library(library_dir) as library:
        paths = indexed_paths(library)
        assert sorted(paths) == on_disk
        assert library.catalog.count("pending") == library.catalog.count("skipped") == 0
        assert library.store.labels() == set(paths.values())
        encoder = FakeEncoder()
        sample = rng.sample(on_disk, 25)
        wanted = encoder.encode_prepared([encoder.prepare(pil_decode(p)) for p in sample])
        got = library.store.get([paths[p] for p in sample])
        np.testing.assert_allclose(got, wanted, atol=1e-5)

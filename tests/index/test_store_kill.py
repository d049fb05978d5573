"""SIGKILL at exact points of the vector store's writes: inside a log append, while
compaction writes its snapshot, and between compaction's two renames. Nothing the catalog
claims is lost, and the next run finishes with every photo's own vector."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from index_support import FakeEncoder, check_after_crash, indexed_paths, pil_decode, write_photo

from index.library import Library

WORKER = Path(__file__).resolve().parent / "crash_worker.py"
REPO = Path(__file__).resolve().parents[2]


def _run(library: Path, folder: Path, *kill_at: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(WORKER), str(library), str(folder), *kill_at],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


@pytest.mark.parametrize("kill_at", ["log-append", "compaction-snapshot", "compaction-swap"])
def test_sigkill_inside_a_store_write_loses_nothing(kill_at, tmp_path):
    folder, library_dir = tmp_path / "photos", tmp_path / "library"
    photos = [write_photo(folder / f"p{i:03d}.jpg", seed=i) for i in range(120)]

    killed = _run(library_dir, folder, kill_at)
    assert killed.returncode == -signal.SIGKILL, killed.stderr  # it died at that point
    assert "done" not in killed.stdout
    assert check_after_crash(library_dir) > 0  # photos checkpointed before the kill stay

    finished = _run(library_dir, folder)
    assert finished.returncode == 0 and "done" in finished.stdout, finished.stderr
    with Library(library_dir) as library:
        paths = indexed_paths(library)
        assert sorted(paths) == sorted(str(p) for p in photos)
        assert library.store.labels() == set(paths.values())
        encoder = FakeEncoder()
        wanted = encoder.encode_prepared([encoder.prepare(pil_decode(str(p))) for p in photos])
        got = library.store.get([paths[str(p)] for p in photos])
        np.testing.assert_allclose(got, wanted, atol=1e-5)

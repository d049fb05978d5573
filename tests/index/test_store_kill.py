"""SIGKILL at exact points of the vector store's writes: inside a log append, while
compaction's own process builds its snapshot, after it built it, between compaction's two
renames, and of that process alone. Nothing the catalog claims is lost, and the next run
finishes with every photo's own vector."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
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


def _photos(folder: Path) -> list[Path]:
    return [write_photo(folder / f"p{i:03d}.jpg", seed=i) for i in range(120)]


def _has_every_photos_own_vector(library_dir: Path, photos: list[Path]) -> None:
    with Library(library_dir) as library:
        paths = indexed_paths(library)
        assert sorted(paths) == sorted(str(p) for p in photos)
        assert library.store.labels() == set(paths.values())
        encoder = FakeEncoder()
        wanted = encoder.encode_prepared([encoder.prepare(pil_decode(str(p))) for p in photos])
        got = library.store.get([paths[str(p)] for p in photos])
        np.testing.assert_allclose(got, wanted, atol=1e-5)


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # (a zombie has stopped; it waits only to be reaped)


@pytest.mark.parametrize(
    "kill_at", ["log-append", "compaction-building", "compaction-built", "compaction-swap"]
)
def test_sigkill_inside_a_store_write_loses_nothing(kill_at, tmp_path):
    folder, library_dir = tmp_path / "photos", tmp_path / "library"
    photos = _photos(folder)

    killed = _run(library_dir, folder, kill_at)
    assert killed.returncode == -signal.SIGKILL, killed.stderr  # it died at that point
    assert "done" not in killed.stdout
    if kill_at == "compaction-building" and sys.platform.startswith("linux"):
        builder = int(re.search(r"builder (\d+)", killed.stdout)[1])
        deadline = time.monotonic() + 30
        while _running(builder) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(builder)  # it died with the writer: no orphan writing on
    assert check_after_crash(library_dir) > 0  # photos checkpointed before the kill stay

    finished = _run(library_dir, folder)
    assert finished.returncode == 0 and "done" in finished.stdout, finished.stderr
    _has_every_photos_own_vector(library_dir, photos)


def test_a_killed_compaction_process_costs_the_writer_nothing(tmp_path):
    folder, library_dir = tmp_path / "photos", tmp_path / "library"
    photos = _photos(folder)

    run = _run(library_dir, folder, "builder-killed")
    assert run.returncode == 0 and "done" in run.stdout, run.stderr
    assert "could not compact the vector store" in run.stderr
    _has_every_photos_own_vector(library_dir, photos)

"""Crash safety of the OCR pass: SIGKILL it at random moments. Text committed before a
kill is never lost, a photo whose text was committed is never read again, and in the end
every photo's text is there exactly once."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from index_support import write_photo

from bench.text_photos import render_text_photo
from index.library import Library
from index.text_index import TextIndex

WORKER = Path(__file__).resolve().parent / "ocr_crash_worker.py"
REPO = Path(__file__).resolve().parents[2]
KILLS = 4


def _committed(library_dir: Path) -> dict[str, str]:
    """Photo file name -> its stored text, for every photo whose text is committed."""
    if not (library_dir / "catalog.sqlite3").exists():
        return {}
    with Library(library_dir, writable=False) as library:
        index = TextIndex(library.catalog)
        rows = library.catalog.read(
            "SELECT p.path, t.norm FROM photos p JOIN photo_text t ON t.hash = p.hash"
        )
        assert index.ready
    return {Path(path).name: norm for path, norm in rows}


@pytest.mark.timeout(600)
def test_sigkill_during_the_ocr_pass_loses_nothing_and_repeats_nothing(tmp_path):
    rng = random.Random(7)
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(6):
        render_text_photo(folder / f"t{i}.jpg", [f"Room {100 + i}"], size=(640, 480))
    for i in range(10):
        write_photo(folder / f"p{i:02d}.jpg", seed=i, size=(320, 240))
    library_dir = tmp_path / "library"

    committed: dict[str, str] = {}
    kills = 0
    partial = []  # photos with committed text after each kill
    while kills < KILLS:
        proc = subprocess.Popen(
            [sys.executable, str(WORKER), str(library_dir), str(folder)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        target, saved, read = rng.randint(1, 3), 0, []
        for line in proc.stdout:
            if line.startswith("reading "):
                read.append(line.split()[1])
            saved += line.startswith("saved")
            if saved >= target:
                break
        time.sleep(rng.uniform(0, 0.3))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        out, _ = proc.communicate(timeout=60)
        read += [line.split()[1] for line in out.splitlines() if line.startswith("reading ")]
        assert not set(read) & set(committed), "a photo whose text was saved was read again"
        now = _committed(library_dir)
        assert all(now.get(name) == text for name, text in committed.items()), "text lost"
        committed = now
        partial.append(len(now))
        if "done" in out:
            break
    assert any(0 < n < 16 for n in partial), f"no kill landed during the OCR pass: {partial}"
    proc = subprocess.run(
        [sys.executable, str(WORKER), str(library_dir), str(folder)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert proc.returncode == 0 and "done" in proc.stdout, proc.stderr
    final = _committed(library_dir)
    assert sorted(final) == sorted(p.name for p in folder.iterdir())
    for i in range(6):
        assert f"room{100 + i}" in final[f"t{i}.jpg"]

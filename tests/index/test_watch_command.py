"""`photosearch watch` as a user runs it: a real process following a real folder."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from index_support import wait_for

from index.library import Library

REPO = Path(__file__).resolve().parents[2]
DEMO_WEIGHTS = REPO / "assets" / "models" / "demo-vit.pt"
MODEL = (
    ["--model", "demo"] if DEMO_WEIGHTS.exists() else ["--model", "ViT-B-32", "--weights", "random"]
)


def _indexed(library: Path) -> dict[str, int]:
    if not (library / "catalog.sqlite3").exists():
        return {}
    with Library(library, writable=False) as reader:
        rows = reader.catalog.photos_by_ids(reader.catalog.ids_with_status("indexed"))
        return {row.path: row.id for row in rows.values()}


@pytest.mark.timeout(400)
def test_watch_follows_copy_rename_delete_and_stops_on_sigterm(tmp_path, photos_dir):
    library = tmp_path / "library"
    some = sorted(photos_dir.glob("*.jpg"))[:1] + sorted(photos_dir.glob("*.png"))[:2]
    for extra in set(photos_dir.iterdir()) - set(some):
        extra.unlink()
    incoming = tmp_path / "incoming.jpg"
    shutil.copyfile(sorted(Path(REPO.parent / "shared" / "photos").glob("*.jpg"))[1], incoming)

    cmd = [sys.executable, "-m", "app.cli", "--library", str(library), "watch", str(photos_dir)]
    proc = subprocess.Popen(
        cmd + MODEL,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        wait_for(lambda: len(_indexed(library)) == 3 or proc.poll() is not None, 300, 0.2)
        assert proc.poll() is None, proc.communicate()[1]

        copied = photos_dir / "copied.jpg"
        shutil.copyfile(incoming, copied)
        wait_for(lambda: str(copied) in _indexed(library), 120, 0.1)

        photo_id = _indexed(library)[str(copied)]
        renamed = photos_dir / "renamed.jpg"
        os.rename(copied, renamed)
        wait_for(lambda: _indexed(library).get(str(renamed)) == photo_id, 120, 0.1)
        assert str(copied) not in _indexed(library)

        renamed.unlink()
        wait_for(lambda: str(renamed) not in _indexed(library), 120, 0.1)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "watching" in err and "stopped" in err
    assert "copied.jpg" in err and "renamed.jpg" in err
    assert not (library / "writer.json").exists()

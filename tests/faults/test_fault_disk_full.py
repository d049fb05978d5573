"""A full disk while indexing: one line naming the disk, nothing lost, the next run finishes."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from cli_support import run_cli, run_json
from fault_support import DEMO


@pytest.fixture
def small_disk(tmp_path):
    """A 16 MB file system (tmpfs) to hold the library."""
    disk = tmp_path / "disk"
    disk.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)], check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("mounting a file system needs root")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


def _fill(disk):
    filler = disk / "filler"
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    return filler


def test_full_disk_is_named_keeps_the_library_and_next_run_finishes(small_disk, photos_dir):
    library = small_disk / "library"
    assert run_cli("index", str(photos_dir), *DEMO, library=library).returncode == 0
    more = photos_dir / "more"
    more.mkdir()
    for photo in sorted(photos_dir.glob("*.*")):
        shutil.copyfile(photo, more / photo.name)
    filler = _fill(small_disk)

    proc = run_cli("reindex", library=library)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"photosearch: error: the disk is full ({small_disk}")
    assert len(proc.stderr.strip().splitlines()) == 1
    chelsea = str(photos_dir / "skimage_chelsea.png")
    assert run_json("search", "--image", chelsea, "-k", "1", library=library)[0]["path"] == chelsea
    assert run_json("status", library=library)["photos"] == 18

    filler.unlink()
    assert run_cli("reindex", library=library).returncode == 0
    assert run_json("status", library=library)["photos"] == 36

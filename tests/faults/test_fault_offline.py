"""An unplugged drive is offline, not deleted; a folder the user emptied is a deletion."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cli_support import copy_shared_photos, run_cli, run_json
from fault_support import DEMO

NOTHING_CHANGED = "0 new, 0 updated, 0 moved, 0 removed, 0 skipped"


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)


@pytest.fixture
def drive(tmp_path: Path):
    """A drive with the sample photos (a tmpfs) and the empty folder it is mounted on."""
    contents, mount_point = tmp_path / "drive", tmp_path / "media" / "photos"
    contents.mkdir()
    mount_point.mkdir(parents=True)
    try:
        _mount("-t", "tmpfs", "-o", "size=64m", "tmpfs", str(contents))
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("mounting a file system needs root")
    copy_shared_photos(contents)
    yield contents, mount_point
    subprocess.run(["umount", str(mount_point)], capture_output=True)
    subprocess.run(["umount", str(contents)], capture_output=True)


def test_unmounted_drive_keeps_its_photos_and_remount_re_encodes_nothing(drive, tmp_path):
    contents, mount_point = drive
    library = tmp_path / "library"
    _mount("--bind", str(contents), str(mount_point))
    assert run_cli("index", str(mount_point), *DEMO, library=library).returncode == 0

    subprocess.run(["umount", str(mount_point)], check=True)  # the bare mount point is left
    proc = run_cli("reindex", library=library)
    assert proc.returncode == 0, proc.stderr
    assert NOTHING_CHANGED in proc.stdout
    assert f"folder is offline (drive unplugged?); photos kept: {mount_point}" in proc.stderr
    status = run_json("status", library=library)
    assert status["photos"] == 18
    assert status["folders"][0]["state"] == "offline"
    found = run_json(
        "search", "--image", str(contents / "skimage_chelsea.png"), "-k", "1", library=library
    )
    assert found[0]["path"] == str(mount_point / "skimage_chelsea.png")

    _mount("--bind", str(contents), str(mount_point))
    proc = run_cli("reindex", library=library)
    assert NOTHING_CHANGED in proc.stdout
    assert run_json("status", library=library)["folders"][0]["state"] == "ok"


def test_folder_emptied_by_the_user_loses_its_photos(tmp_path, photos_dir):
    library = tmp_path / "library"
    assert run_cli("index", str(photos_dir), *DEMO, library=library).returncode == 0
    for photo in photos_dir.iterdir():
        photo.unlink()
    proc = run_cli("reindex", library=library)
    assert "0 new, 0 updated, 0 moved, 18 removed, 0 skipped" in proc.stdout
    assert run_json("status", library=library)["photos"] == 0

"""A library on a read-only disk: search and status work; indexing says it is read-only."""

from __future__ import annotations

import subprocess

import pytest
from cli_support import run_cli, run_json
from fault_support import DEMO


@pytest.fixture
def read_only_library(tmp_path, photos_dir):
    """An indexed library, then seen through a read-only mount of its folder."""
    library, mounted = tmp_path / "library", tmp_path / "read-only"
    assert run_cli("index", str(photos_dir), *DEMO, library=library).returncode == 0
    mounted.mkdir()
    try:
        subprocess.run(["mount", "--bind", str(library), str(mounted)], check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("mounting a file system needs root")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(mounted)], check=True)
        yield mounted
    finally:
        subprocess.run(["umount", str(mounted)], check=True)


def test_read_only_library_is_searchable(read_only_library, photos_dir):
    chelsea = str(photos_dir / "skimage_chelsea.png")
    results = run_json("search", "--image", chelsea, "-k", "3", library=read_only_library)
    assert results[0]["path"] == chelsea
    assert len(run_json("search", "a cat", "-k", "3", library=read_only_library)) == 3
    assert run_json("status", library=read_only_library)["photos"] == 18


def test_indexing_a_read_only_library_says_so_in_one_line(read_only_library, photos_dir):
    proc = run_cli("index", str(photos_dir), library=read_only_library)
    assert proc.returncode == 1
    assert proc.stderr == (
        f"photosearch: error: the library {read_only_library} is read-only (a read-only disk or"
        " no write permission): searching works, but indexing needs a writable library\n"
    )

"""File names that are not UTF-8 are photos like any other: indexed, found, printable."""

from __future__ import annotations

import json
import os
import subprocess

from cli_support import run_cli
from fault_support import DEMO


def test_names_that_are_not_utf8_are_indexed_and_found_by_image(tmp_path, photos_dir):
    latin1 = os.fsdecode(bytes(photos_dir) + b"/chat_\xe9t\xe9.png")  # Latin-1 "chat_été"
    gbk = os.fsdecode(bytes(photos_dir) + "/中国.jpg".encode("gbk"))
    os.rename(photos_dir / "skimage_chelsea.png", latin1)
    os.rename(photos_dir / "sklearn_china.jpg", gbk)
    library = tmp_path / "library"

    proc = run_cli("index", str(photos_dir), *DEMO, library=library)
    assert "18 new, 0 updated, 0 moved, 0 removed, 0 skipped" in proc.stdout, proc.stderr

    proc = run_cli("search", "--image", latin1, "-k", "2", "--json", library=library)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    assert results[0]["path"] == f"{photos_dir}/chat_\ufffdt\ufffd.png"
    assert results[0]["path_shell"] == f"$'{photos_dir}/chat_\\xe9t\\xe9.png'"
    assert results[0]["score"] > 0.999
    listed = subprocess.run(
        ["bash", "-c", f"ls -- {results[0]['path_shell']}"], capture_output=True
    )
    assert listed.stdout.strip() == os.fsencode(latin1)

    proc = run_cli("search", "--image", gbk, "-k", "1", library=library)
    assert proc.returncode == 0, proc.stderr
    first = next(line for line in proc.stdout.splitlines() if line.lstrip().startswith("1 "))
    assert "\ufffd" in first and first.strip().startswith("1   1.000")

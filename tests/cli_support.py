"""Helpers shared by tests: real photos copied to a temp dir, the CLI as a real subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_PHOTOS = REPO.parent / "shared" / "photos"
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png"}
DEMO_COUNT = 300  # as in the demo issue's acceptance check: `demo DIR --count 300`, then search


def copy_shared_photos(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for src in sorted(SHARED_PHOTOS.iterdir()):
        if src.suffix.lower() in PHOTO_SUFFIXES:
            shutil.copyfile(src, target / src.name)
    return target


def run_cli(
    *args: str, library: Path | None = None, env: dict | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """Run `photosearch` exactly as a user would, in a fresh process."""
    cmd = [sys.executable, "-m", "app.cli"]
    if library is not None:
        cmd += ["--library", str(library)]
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    return subprocess.run(
        cmd + list(args), capture_output=True, text=True, env=full_env, cwd=REPO, timeout=timeout
    )


def python_facts(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh interpreter (``python -c``) and read the JSON it prints last."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(out.stdout.splitlines()[-1])


def imported(stderr: str) -> set[str]:
    """Top-level packages named by -X importtime (or PYTHONPROFILEIMPORTTIME=1)."""
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


def run_json(*args: str, library: Path | None = None, env: dict | None = None):
    proc = run_cli(*args, "--json", library=library, env=env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)

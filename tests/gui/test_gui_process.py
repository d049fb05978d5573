"""`photosearch gui` as a real process: SIGTERM closes the window cleanly, and the
library is saved and released."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from cli_support import REPO

from .conftest import MODEL


def test_sigterm_closes_the_window_and_releases_the_library(tmp_path, isolated_settings):
    library = tmp_path / "library"
    model, weights = MODEL
    cmd = [sys.executable, "-m", "app.cli", "--library", str(library), "--model", model]
    cmd += ["--weights", weights] if weights else []
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    proc = subprocess.Popen([*cmd, "gui"], cwd=REPO, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (library / "catalog.sqlite3").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(3)  # let the model load and indexing start
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)  # before the fix the indexing thread kept it alive
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == 0, proc.stderr.read()
    status = subprocess.run([*cmd, "status"], cwd=REPO, capture_output=True, text=True)
    assert status.returncode == 0, status.stderr  # the library opens again

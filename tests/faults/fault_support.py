"""Helpers for the fault tests: a library of many photos, a CLI run that can be signalled."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from cli_support import REPO, copy_shared_photos

DEMO = ("--model", "demo")


def photos_with_copies(target: Path, copies: int) -> Path:
    """The 18 shared photos plus ``copies`` renamed copies of them in a subfolder."""
    copy_shared_photos(target)
    originals = sorted(target.iterdir())
    (target / "copies").mkdir()
    for i in range(copies):
        src = originals[i % len(originals)]
        shutil.copyfile(src, target / "copies" / f"c{i:04d}{src.suffix}")
    return target


class RunningCli:
    """`photosearch ARGS` in a real process; its stderr is collected as it arrives."""

    def __init__(self, *args: str, library: Path) -> None:
        cmd = [sys.executable, "-m", "app.cli", "--library", str(library), *args]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.stderr = ""
        self.stdout = ""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        while chunk := os.read(self.proc.stderr.fileno(), 4096):
            self.stderr += chunk.decode("utf-8", "replace")

    def photos_done(self) -> int:
        """The largest "N/TOTAL" the progress bar has shown so far."""
        counts = [int(n) for n in re.findall(r"(\d+)/\d+ \[", self.stderr)]
        return max(counts, default=-1)

    def wait_until(self, predicate, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if self.proc.poll() is not None:
                raise AssertionError(f"photosearch ended early:\n{self.finish()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; stderr so far:\n{self.stderr}")
            time.sleep(0.05)

    def finish(self, timeout: float = 120) -> str:
        """Wait for the process to end; returns its stderr."""
        assert self.proc.stdout is not None
        self.stdout = self.proc.stdout.read().decode("utf-8", "replace")
        self.proc.wait(timeout)
        self._reader.join(timeout)
        return self.stderr

"""A library indexed once, and `photosearch watch` over it as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from cli_support import REPO, run_cli

from app.query_endpoint import socket_path
from engine.registry import DEMO_MODELS

MODEL = ["--model", "demo"] if DEMO_MODELS["demo"].weights.is_file() else ["--model", "RN50"]


def index_library(photos: Path, library: Path) -> None:
    proc = run_cli("index", str(photos), *MODEL, library=library)
    assert proc.returncode == 0, proc.stderr


def start_watch(library: Path) -> subprocess.Popen:
    """``watch`` over the library; returns once its query service answers."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--library", str(library), "watch"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 300
    while not serving(library):
        if proc.poll() is not None:
            raise AssertionError(f"watch exited: {proc.stderr.read()}")
        assert time.monotonic() < deadline, "the query service did not start"
        time.sleep(0.2)
    return proc


def serving(library: Path) -> bool:
    from app.query_client import ask
    from app.query_protocol import PING, VERSION

    reply = ask(library.absolute(), {"v": VERSION, "op": PING}, timeout=5)
    return bool(reply and reply.get("ok"))


def sock_of(library: Path) -> Path:
    return socket_path(library.absolute())


def search_cmd(library: Path, *args: str) -> list[str]:
    """`photosearch search` with -X importtime on stderr (so a test sees which modules the
    client imported)."""
    cmd = [sys.executable, "-X", "importtime", "-m", "app.cli", "--library", str(library)]
    return [*cmd, "search", *args]


def search(library: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`photosearch search` in a fresh process (see :func:`search_cmd`)."""
    return subprocess.run(
        search_cmd(library, *args),
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        timeout=300,
    )


def user_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not line.startswith("import time:")]

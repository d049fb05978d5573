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
    reply = ping(library)
    return bool(reply and reply.get("ok"))


def ping(library: Path) -> dict | None:
    """The service's answer to who it is (pid, model, device), or None."""
    from app.query_client import ask
    from app.query_protocol import PING, VERSION

    return ask(library.absolute(), {"v": VERSION, "op": PING}, timeout=5)


def sock_of(library: Path) -> Path:
    return socket_path(library.absolute())


def search_cmd(library: Path, *args: str, command: str = "search") -> list[str]:
    """`photosearch search` (or another ``command``) with -X importtime on stderr (so a test
    sees which modules the client imported)."""
    cmd = [sys.executable, "-X", "importtime", "-m", "app.cli", "--library", str(library)]
    return [*cmd, command, *args]


def search(
    library: Path,
    *args: str,
    env: dict | None = None,
    command: str = "search",
    cwd: Path = REPO,
) -> subprocess.CompletedProcess:
    """`photosearch search` in a fresh process (see :func:`search_cmd`), from ``cwd``."""
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        search_cmd(library, *args, command=command),
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": path, **(env or {})},
        timeout=300,
    )


def user_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not line.startswith("import time:")]

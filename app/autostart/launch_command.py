"""The command a login service or a menu entry runs: this Python, this code, this library."""

from __future__ import annotations

import sys
from pathlib import Path

import app

NAME = "photosearch-watch"  # the service's name on every platform


def code_root() -> str:
    """The folder holding the ``app`` package (a source checkout or site-packages): put on
    PYTHONPATH so the service runs this code whatever the service manager's environment."""
    return str(Path(app.__file__).resolve().parent.parent)


def photosearch_argv(library: Path, *command: str) -> list[str]:
    return [sys.executable, "-m", "app.cli", "--library", str(library), *command]


def environment() -> dict[str, str]:
    return {"PYTHONPATH": code_root(), "PYTHONUNBUFFERED": "1"}

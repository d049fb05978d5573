"""Fixtures for index/ tests: a library bound to the fake encoder, and a thread-leak guard."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from index_support import bind_fake

from index.library import Library


@pytest.fixture
def no_thread_leaks():
    """Fail if the test leaves threads running (watchers, indexers, decode pools)."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 10
    while True:
        extra = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not extra or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert not extra, f"threads left running: {[t.name for t in extra]}"


@pytest.fixture
def library(tmp_path: Path):
    lib = Library(tmp_path / "library")
    lib.encoder = bind_fake(lib)  # type: ignore[attr-defined]
    yield lib
    lib.close()

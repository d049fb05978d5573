"""Shared fixtures (helpers live in cli_support.py, importable from every test folder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import copy_shared_photos


@pytest.fixture
def photos_dir(tmp_path: Path) -> Path:
    """A writable copy of the shared sample photos (18 images)."""
    return copy_shared_photos(tmp_path / "photos")

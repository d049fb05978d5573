"""The ``file,caption`` CSV of a captioned folder."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path


def write_captions(path: str | Path, rows: Sequence[tuple[str, str]]) -> None:
    """A ``file,caption`` CSV (what ``read_captions``, ``bench.quality --captions`` and
    ``model convert --calibrate`` read)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["file", "caption"])
        writer.writerows(rows)


def read_captions(path: str | Path) -> list[tuple[str, str]]:
    """Rows of a ``file,caption`` CSV."""
    with open(path, newline="", encoding="utf-8") as f:
        return [(row["file"], row["caption"]) for row in csv.DictReader(f)]

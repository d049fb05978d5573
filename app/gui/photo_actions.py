"""Acting on photos the user selected (worker thread; no Qt)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class TrashOutcome:
    moved: list[str]
    error: str | None = None  # one line about the first file that could not be moved


def move_to_trash(paths: list[str]) -> TrashOutcome:
    """Move each file to the platform's trash, where it can be restored from; stops at the
    first file that cannot be moved."""
    from send2trash import send2trash  # imported late: it reads the trash location once

    moved: list[str] = []
    for path in paths:
        try:
            send2trash(path)
        except OSError as exc:
            reason = exc.strerror or str(exc) or type(exc).__name__
            return TrashOutcome(
                moved, f"Could not move {os.path.basename(path)} to the trash: {reason}"
            )
        moved.append(path)
    return TrashOutcome(moved)

"""Acting on photos the user selected (worker thread; no Qt)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from app.translation import _


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
            message = _("Could not move {name} to the trash: {reason}")
            return TrashOutcome(moved, message.format(name=os.path.basename(path), reason=reason))
        moved.append(path)
    return TrashOutcome(moved)


@dataclass(frozen=True)
class ExportOutcome:
    copied: list[str]  # the new files
    error: str | None = None


def copy_to_folder(paths: list[str], folder: str) -> ExportOutcome:
    """Copy the photos into ``folder``, never over an existing file ("name (2).jpg")."""
    copied: list[str] = []
    for path in paths:
        target = _free_name(Path(folder), Path(path).name)
        try:
            shutil.copy2(path, target)
        except OSError as exc:
            reason = exc.strerror or str(exc) or type(exc).__name__
            message = _("Could not copy {name} to {folder}: {reason}")
            return ExportOutcome(
                copied, message.format(name=Path(path).name, folder=folder, reason=reason)
            )
        copied.append(str(target))
    return ExportOutcome(copied)


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    stem, suffix = os.path.splitext(name)
    n = 2
    while target.exists():
        target = folder / f"{stem} ({n}){suffix}"
        n += 1
    return target

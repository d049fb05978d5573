"""Messages written for the command line, reworded for the window's own controls."""

from __future__ import annotations

import re

from app.translation import _


def _rewordings() -> tuple[tuple[str, str], ...]:
    """(pattern, replacement): command-line advice -> where the window makes that choice."""
    return (
        (
            r"photosearch reindex --full --model (\S+)( --weights \S+)?",
            _("choose {model} in Settings").format(model=r"\1"),
        ),
        (
            r"pass (a local checkpoint )?with --weights /path/to/file\.bin",
            _("enter a checkpoint file in Settings → Weights"),
        ),
        (
            r"pass --weights FILE or random",
            _("enter a checkpoint file (or random) in Settings → Weights"),
        ),
        (r"--weights /path/to/file\.bin", _("a checkpoint file in Settings → Weights")),
        (r"--weights", _("Settings → Weights")),
        (r"--model", _("Settings → Model")),
    )


def for_window(message: str) -> str:
    for pattern, replacement in _rewordings():
        message = re.sub(pattern, replacement, message)
    return message

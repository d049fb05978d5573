"""Messages written for the command line, reworded for the window's own controls."""

from __future__ import annotations

import re

# (pattern, replacement): command-line advice -> where the same choice is made in the window
_REWORDINGS = (
    (r"photosearch reindex --full --model (\S+)( --weights \S+)?", r"choose \1 in Settings"),
    (
        r"pass (a local checkpoint )?with --weights /path/to/file\.bin",
        "enter a checkpoint file in Settings → Weights",
    ),
    (r"pass --weights FILE or random", "enter a checkpoint file (or random) in Settings → Weights"),
    (r"--weights /path/to/file\.bin", "a checkpoint file in Settings → Weights"),
    (r"--weights", "Settings → Weights"),
    (r"--model", "Settings → Model"),
)


def for_window(message: str) -> str:
    for pattern, replacement in _REWORDINGS:
        message = re.sub(pattern, replacement, message)
    return message

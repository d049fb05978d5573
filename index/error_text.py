"""How a failure reads in the catalog's error column and in the log."""

from __future__ import annotations

VANISHED = "file vanished before it could be read"


def reason(exc: BaseException) -> str:
    """The exception's message, or its type's name when it has none."""
    return str(exc) or type(exc).__name__

"""Errors a user reads: the model error, and one line for an exception's message."""


class ModelError(Exception):
    """A model cannot be resolved or loaded; ``str(err)`` is the user-facing line."""


def first_line(exc: BaseException, limit: int = 300) -> str:
    """The message's first line (at most ``limit`` characters), or the type's name if empty."""
    text = str(exc).strip().splitlines()
    return text[0][:limit] if text else type(exc).__name__

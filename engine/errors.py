"""One line for an exception's message, for errors a user reads."""


def first_line(exc: BaseException, limit: int = 300) -> str:
    """The message's first line (at most ``limit`` characters), or the type's name if empty."""
    text = str(exc).strip().splitlines()
    return text[0][:limit] if text else type(exc).__name__

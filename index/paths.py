"""File names as the catalog, the terminal and JSON see them, including names that are
not valid UTF-8 (``b'\\xff.jpg'``, GBK names from older systems).

Python hands such a name over with surrogate escapes (PEP 383). It is a photo like any
other: the catalog keys it by a printable form (``\\xff`` for each bad byte) and keeps its
exact bytes beside it, so the file can always be opened again; people see U+FFFD
replacement characters; JSON adds the exact name as a shell literal.
"""

from __future__ import annotations

import os


def is_within(path: str, folder: str) -> bool:
    """``path`` is ``folder`` or lies below it."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def is_utf8(path: str) -> bool:
    try:
        path.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def catalog_key(path: str) -> str:
    """The path itself, or for a name that is not UTF-8 its printable ``\\xNN`` form."""
    return path if is_utf8(path) else os.fsencode(path).decode("utf-8", "backslashreplace")


def raw_bytes(path: str) -> bytes | None:
    """The exact bytes of a name that is not UTF-8; None for every other path."""
    return None if is_utf8(path) else os.fsencode(path)


def display(path: str) -> str:
    """For people: each byte that is not UTF-8 shown as U+FFFD."""
    return path if is_utf8(path) else os.fsencode(path).decode("utf-8", "replace")


def shell_literal(path: str) -> str:
    """A bash/zsh ``$'...'`` literal of the exact bytes, to paste into a shell."""
    out = []
    for byte in os.fsencode(path):
        char = chr(byte)
        if byte < 0x80 and char.isprintable() and char not in "'\\":
            out.append(char)
        else:
            out.append(f"\\x{byte:02x}")
    return "$'" + "".join(out) + "'"

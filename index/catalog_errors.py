"""SQLite failures turned into one-line catalog errors a user can act on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from index.disk_space import disk_full_message, is_full

SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB = 10, 11, 13, 26
REBUILD_HINT = (
    "run `photosearch reindex` to rebuild it from your photo folders (the damaged file is kept)"
)


class CatalogError(Exception):
    """The catalog cannot be used (newer schema, damaged file, full disk)."""


class CatalogDamagedError(CatalogError):
    """The file is not a sound SQLite database (overwritten, truncated, bad sectors)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason  # what SQLite said


class CatalogDiskFullError(CatalogError):
    """A write failed for lack of space; SQLite rolled the transaction back."""


def damaged(path: Path, reason: object) -> CatalogDamagedError:
    return CatalogDamagedError(
        f"the catalog {path} is damaged ({reason}); {REBUILD_HINT}", str(reason)
    )


def catalog_error(exc: sqlite3.DatabaseError, path: Path) -> CatalogError:
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF  # the primary result code
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return damaged(path, exc)
    # A full disk is SQLITE_FULL when a page cannot be written, an I/O error when the
    # WAL's shared-memory file cannot be made.
    if code == SQLITE_FULL or (code == SQLITE_IOERR and is_full(path.parent)):
        return CatalogDiskFullError(disk_full_message(path.parent))
    return CatalogError(f"cannot use catalog {path}: {exc}")

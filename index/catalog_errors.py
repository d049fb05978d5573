"""SQLite failures turned into one-line catalog errors a user can act on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from index.disk_space import disk_full, is_full
from index.error_text import CATALOG_REBUILD_HINT, PhrasedError

SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB = 10, 11, 13, 26


class CatalogError(PhrasedError):
    """The catalog cannot be used (newer schema, damaged file, full disk)."""


class CatalogDamagedError(CatalogError):
    """The file is not a sound SQLite database (overwritten, truncated, bad sectors)."""

    def __init__(self, path: Path, reason: object) -> None:
        super().__init__(
            "the catalog {path} is damaged ({reason}); {hint}",
            path=path,
            reason=reason,
            hint=CATALOG_REBUILD_HINT,
        )
        self.reason = str(reason)  # what SQLite said


class CatalogDiskFullError(CatalogError):
    """A write failed for lack of space; SQLite rolled the transaction back."""


def damaged(path: Path, reason: object) -> CatalogDamagedError:
    return CatalogDamagedError(path, reason)


def catalog_error(exc: sqlite3.DatabaseError, path: Path) -> CatalogError:
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF  # the primary result code
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return damaged(path, exc)
    # A full disk is SQLITE_FULL when a page cannot be written, an I/O error when the
    # WAL's shared-memory file cannot be made.
    if code == SQLITE_FULL or (code == SQLITE_IOERR and is_full(path.parent)):
        full = disk_full(path.parent)
        return CatalogDiskFullError(full.template, **full.fields)
    return CatalogError("cannot use catalog {path}: {error}", path=path, error=exc)

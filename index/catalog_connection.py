"""Opening the catalog's SQLite file: the base schema, pragmas, and read-only access."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS folders (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    added_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL UNIQUE,
    folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    model_id TEXT,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS photos_folder ON photos(folder_id);
CREATE INDEX IF NOT EXISTS photos_status ON photos(status);
CREATE INDEX IF NOT EXISTS photos_hash ON photos(hash);
"""

# Columns added by a migration (index/migrations.py): a read-only open of a catalog not
# upgraded yet reads them as NULL.
ADDED_COLUMNS = {"folders": ("device", "exclude"), "photos": ("ctime_ns", "inode", "raw_path")}


def connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """A connection with the catalog's pragmas; a writer's also has the base schema."""
    if read_only:
        db = _connect_read_only(path)
    else:
        db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA foreign_keys=ON")
    if not read_only:
        db.executescript(_SCHEMA)
    return db


_CANNOT_MAKE_SHM = (8, 10, 13, 14)  # SQLITE_READONLY, _IOERR, _FULL, _CANTOPEN


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection, also where nothing can be written beside the catalog.

    Reading a WAL database needs its shared-memory file beside it; on a read-only or full
    disk, or without write permission, that cannot be made, so the file is then opened as
    immutable (which ignores a WAL left unmerged: only a writer that crashed leaves one).
    """
    if os.access(path.parent, os.W_OK):
        db = _connect_uri(path, "ro")
        try:
            db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()  # makes the -shm
            return db
        except sqlite3.OperationalError as exc:
            db.close()
            if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) not in _CANNOT_MAKE_SHM:
                raise
    return _connect_uri(path, "ro&immutable=1")


def _connect_uri(path: Path, mode: str) -> sqlite3.Connection:
    uri = f"file:{path}?mode={mode}"
    return sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)

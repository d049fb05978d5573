"""Catalog schema upgrades: each version's SQL, applied in order inside one transaction.

A catalog records its version in ``meta.schema_version``; opening an older one for
writing upgrades it, a read-only open leaves it as it is (newer tables then read as empty).
"""

from __future__ import annotations

import sqlite3

# Version 2: the text recognised in photos, keyed by content hash (a moved or copied
# photo keeps its text), with a trigram full-text index over the normalised text.
TEXT_TABLES = """
CREATE TABLE IF NOT EXISTS photo_text (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    engine TEXT NOT NULL,
    norm TEXT NOT NULL,
    read_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS photo_text_lines (
    text_id INTEGER NOT NULL REFERENCES photo_text(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    text TEXT NOT NULL,
    score REAL NOT NULL,
    box TEXT NOT NULL,
    PRIMARY KEY (text_id, n)
);
CREATE VIRTUAL TABLE IF NOT EXISTS photo_text_fts USING fts5(
    norm, content='photo_text', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER IF NOT EXISTS photo_text_ai AFTER INSERT ON photo_text BEGIN
    INSERT INTO photo_text_fts(rowid, norm) VALUES (new.id, new.norm);
END;
CREATE TRIGGER IF NOT EXISTS photo_text_ad AFTER DELETE ON photo_text BEGIN
    INSERT INTO photo_text_fts(photo_text_fts, rowid, norm) VALUES ('delete', old.id, old.norm);
END;
"""

# Version 3: the device a folder's photos were scanned on (tells an unmounted drive from
# an emptied folder: index/offline.py).
FOLDER_DEVICE = "ALTER TABLE folders ADD COLUMN device INTEGER;"

# Version 4: the exact bytes of a file name that is not UTF-8 (index/paths.py).
RAW_PATH = "ALTER TABLE photos ADD COLUMN raw_path BLOB;"

# Version 5: ctime and inode, so a file replaced by one with the same size and mtime is
# noticed (index/scanner.py).
FILE_IDENTITY = """
ALTER TABLE photos ADD COLUMN ctime_ns INTEGER;
ALTER TABLE photos ADD COLUMN inode INTEGER;
"""

# Version 6: photo metadata (date taken, camera, place, size, type: index/meta_store.py),
# filled at index time and, for photos indexed before, by a header-only backfill; and the
# subfolders and patterns a library folder leaves out (index/exclusions.py).
PHOTO_META = """
CREATE TABLE IF NOT EXISTS photo_meta (
    photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
    taken INTEGER,
    date_source TEXT NOT NULL,
    offset TEXT,
    make TEXT,
    model TEXT,
    lens TEXT,
    lat REAL,
    lon REAL,
    city TEXT,
    region TEXT,
    country TEXT,
    width INTEGER,
    height INTEGER,
    file_type TEXT
);
CREATE INDEX IF NOT EXISTS photo_meta_taken ON photo_meta(taken);
ALTER TABLE folders ADD COLUMN exclude TEXT;
"""

MIGRATIONS: dict[int, str] = {
    2: TEXT_TABLES,
    3: FOLDER_DEVICE,
    4: RAW_PATH,
    5: FILE_IDENTITY,
    6: PHOTO_META,
}
LATEST = max(MIGRATIONS)


def migrate(db: sqlite3.Connection, current: int) -> int:
    """Apply every migration after ``current``; returns the new version."""
    for version in sorted(v for v in MIGRATIONS if v > current):
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[version]):
                db.execute(statement)
            db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                (str(version),),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        current = version
    return current


def _statements(script: str) -> list[str]:
    """Split a script at statement ends (a trigger body's inner ';' is not one)."""
    out, buf = [], ""
    for line in script.strip().splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return out

"""The SQLite catalog: library folders, photos, their state, and library metadata.

A photo row's id is also its label in the vector store. A row is ``indexed`` only once
its vector is in a *saved* vector store, so after a crash the catalog never claims a
vector the store does not have (see :mod:`index.library` for the reconcile step).

(Over 300 lines: one class, one connection and its transactions; each method is one
query. Metadata, text and migrations already live in their own modules.)
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from index.catalog_connection import ADDED_COLUMNS, connect
from index.catalog_errors import CatalogError, catalog_error, damaged
from index.migrations import LATEST as SCHEMA_VERSION
from index.migrations import migrate
from index.paths import catalog_key, raw_bytes

INDEXED = "indexed"
PENDING = "pending"
SKIPPED = "skipped"


class PhotoRow(NamedTuple):  # a tuple: a scan builds one per photo, and quickly
    id: int
    path: str
    folder_id: int
    size: int
    mtime_ns: int
    hash: str | None
    status: str
    reason: str | None
    ctime_ns: int | None = None  # None: recorded before schema 5
    inode: int | None = None


@dataclass(frozen=True)
class FolderRow:
    id: int
    path: str
    device: int | None = None  # see index.offline
    exclude: str | None = None  # subfolders and patterns left out: index.exclusions


class Catalog:
    """Thread-safe access to the library's SQLite file (one connection, one lock)."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        try:
            self._db = connect(self.path, read_only=read_only)
            self._check_schema(read_only)
            self._select = self._column_lists()
        except sqlite3.DatabaseError as exc:
            raise catalog_error(exc, self.path) from None

    def check_integrity(self) -> None:
        """Raise ``CatalogDamagedError`` unless every page reads back sound.

        Writers call it on open (a scan of the file); readers find damage as they query.
        """
        problems = [r[0] for r in self._query("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise damaged(self.path, " ".join(" ".join(problems).split()))  # one line

    def _check_schema(self, read_only: bool) -> None:
        version = self.get_meta("schema_version")
        if version is not None and int(version) > SCHEMA_VERSION:
            raise CatalogError(
                "this library was written by a newer photosearch (schema {version}); upgrade",
                version=version,
            )
        if not read_only and (version is None or int(version) < SCHEMA_VERSION):
            with self._lock:  # a new catalog starts at version 1 and takes every step
                migrate(self._db, int(version or 1))

    def _column_lists(self) -> dict[str, str]:
        """Per table, the SELECT list of every column (NULL for one not added yet)."""
        select = {"folders": "id, path", "photos": self._PHOTO_COLUMNS}
        for table, added in ADDED_COLUMNS.items():
            present = {r[1] for r in self._db.execute(f"PRAGMA table_info({table})")}
            select[table] += "".join(f", {c}" if c in present else ", NULL" for c in added)
        return select

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                yield self._db
                self._db.execute("COMMIT")
            except BaseException as exc:
                if self._db.in_transaction:  # SQLite already rolled back on some errors
                    self._db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.DatabaseError):
                    raise catalog_error(exc, self.path) from exc
                raise

    def _query(self, sql: str, params: Iterable = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._db.execute(sql, tuple(params)).fetchall()
            except sqlite3.DatabaseError as exc:
                raise catalog_error(exc, self.path) from exc

    read = _query  # for modules that keep their own tables in this file (index.text_index)

    # -- metadata ---------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # -- folders ----------------------------------------------------------------------
    def add_folder(self, path: str) -> FolderRow:
        with self.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO folders(path, added_at) VALUES (?, ?)", (path, time.time())
            )
        return self.folder_by_path(path)  # type: ignore[return-value]

    def folder_by_path(self, path: str) -> FolderRow | None:
        rows = self._query(f"SELECT {self._select['folders']} FROM folders WHERE path = ?", (path,))
        return FolderRow(*rows[0]) if rows else None

    def folders(self) -> list[FolderRow]:
        rows = self._query(f"SELECT {self._select['folders']} FROM folders ORDER BY path")
        return [FolderRow(*r) for r in rows]

    def set_folder_device(self, folder_id: int, device: int) -> None:
        with self.transaction() as db:
            db.execute("UPDATE folders SET device = ? WHERE id = ?", (device, folder_id))

    def remove_folder(self, folder_id: int) -> list[int]:
        """Delete a folder and its photo rows; returns the ids of photos that had vectors."""
        with self.transaction() as db:
            ids = [
                r[0]
                for r in db.execute(
                    "SELECT id FROM photos WHERE folder_id = ? AND status = ?", (folder_id, INDEXED)
                )
            ]
            db.execute("DELETE FROM photos WHERE folder_id = ?", (folder_id,))
            db.execute("DELETE FROM folders WHERE id = ?", (folder_id,))
        return ids

    def absorb_folders(self, parent_id: int, child_ids: list[int]) -> None:
        """A new folder contains existing ones: their photos now belong to it."""
        with self.transaction() as db:
            for child in child_ids:
                db.execute(
                    "UPDATE photos SET folder_id = ? WHERE folder_id = ?", (parent_id, child)
                )
                db.execute("DELETE FROM folders WHERE id = ?", (child,))

    def folder_counts(self) -> dict[int, int]:
        rows = self._query(
            "SELECT folder_id, COUNT(*) FROM photos WHERE status = ? GROUP BY folder_id",
            (INDEXED,),
        )
        return dict(rows)

    # -- photos -----------------------------------------------------------------------
    _PHOTO_COLUMNS = "id, path, folder_id, size, mtime_ns, hash, status, reason"

    def _photo_rows(self, where: str, params: Iterable = ()) -> list[PhotoRow]:
        rows = self._query(f"SELECT {self._select['photos']} FROM photos WHERE {where}", params)
        # raw_path (the last column) holds the exact bytes of a name that is not UTF-8.
        return [
            PhotoRow(*r[:-1]) if r[-1] is None else PhotoRow(r[0], os.fsdecode(r[-1]), *r[2:-1])
            for r in rows
        ]

    def photos_in_folder(self, folder_id: int) -> list[PhotoRow]:
        return self._photo_rows("folder_id = ?", (folder_id,))

    def photos_under(self, folder: str) -> list[PhotoRow]:
        """Rows whose path lies below ``folder`` (any depth), via a range on the path index."""
        prefix = catalog_key(folder).rstrip(os.sep) + os.sep
        upper = prefix[:-1] + chr(ord(os.sep) + 1)
        return self._photo_rows("path >= ? AND path < ?", (prefix, upper))

    def photo_by_path(self, path: str) -> PhotoRow | None:
        rows = self._photo_rows("path = ?", (catalog_key(path),))
        return rows[0] if rows else None

    def photos_by_ids(self, ids: Iterable[int]) -> dict[int, PhotoRow]:
        ids = list(ids)
        out: dict[int, PhotoRow] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._photo_rows(f"id IN ({marks})", chunk):
                out[row.id] = row
        return out

    def ids_with_status(self, status: str) -> list[int]:
        return [r[0] for r in self._query("SELECT id FROM photos WHERE status = ?", (status,))]

    def count(self, status: str = INDEXED) -> int:
        return self._query("SELECT COUNT(*) FROM photos WHERE status = ?", (status,))[0][0]

    def skipped(self) -> list[PhotoRow]:
        return self._photo_rows("status = ? ORDER BY path", (SKIPPED,))

    def upsert_pending(self, path: str, folder_id: int, size: int, mtime_ns: int) -> int:
        """Record a file that needs encoding; returns its id (kept if the row exists)."""
        with self.transaction() as db:
            key = catalog_key(path)
            row = db.execute("SELECT id FROM photos WHERE path = ?", (key,)).fetchone()
            if row:
                db.execute(
                    "UPDATE photos SET folder_id=?, size=?, mtime_ns=?, status=?, reason=NULL,"
                    " updated_at=? WHERE id=?",
                    (folder_id, size, mtime_ns, PENDING, time.time(), row[0]),
                )
                return row[0]
            cur = db.execute(
                "INSERT INTO photos(path, raw_path, folder_id, size, mtime_ns, status, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (key, raw_bytes(path), folder_id, size, mtime_ns, PENDING, time.time()),
            )
            return int(cur.lastrowid)

    def mark_indexed(self, rows: Iterable[tuple], model_id: str) -> None:
        """``rows``: (id, size, mtime_ns, hash, ctime_ns, inode) of photos whose vectors are
        now saved."""
        now = time.time()
        with self.transaction() as db:
            db.executemany(
                "UPDATE photos SET size=?, mtime_ns=?, hash=?, ctime_ns=?, inode=?, status=?,"
                " reason=NULL, model_id=?, updated_at=? WHERE id=?",
                [(s, m, h, c, n, INDEXED, model_id, now, i) for i, s, m, h, c, n in rows],
            )

    def set_identity(self, rows: Iterable[tuple[int, int | None, int | None]]) -> None:
        """``rows``: (id, ctime_ns, inode) of unchanged photos (a chmod, a restore)."""
        with self.transaction() as db:
            db.executemany(
                "UPDATE photos SET ctime_ns=?, inode=? WHERE id=?", [(c, n, i) for i, c, n in rows]
            )

    def mark_skipped(self, photo_id: int, size: int, mtime_ns: int, reason: str) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE photos SET size=?, mtime_ns=?, hash=NULL, status=?, reason=?,"
                " updated_at=? WHERE id=?",
                (size, mtime_ns, SKIPPED, reason, time.time(), photo_id),
            )

    def record_skipped(
        self, path: str, folder_id: int, size: int, mtime_ns: int, reason: str
    ) -> int:
        photo_id = self.upsert_pending(path, folder_id, size, mtime_ns)
        self.mark_skipped(photo_id, size, mtime_ns, reason)
        return photo_id

    def mark_pending(self, ids: Iterable[int]) -> None:
        with self.transaction() as db:
            db.executemany(
                "UPDATE photos SET status=?, updated_at=? WHERE id=?",
                [(PENDING, time.time(), i) for i in ids],
            )

    def move(
        self,
        photo_id: int,
        new_path: str,
        folder_id: int,
        mtime_ns: int,
        ctime_ns: int | None = None,
        inode: int | None = None,
    ) -> None:
        with self.transaction() as db:
            key = catalog_key(new_path)
            db.execute("DELETE FROM photos WHERE path = ? AND id != ?", (key, photo_id))
            db.execute(
                "UPDATE photos SET path=?, raw_path=?, folder_id=?, mtime_ns=?, ctime_ns=?,"
                " inode=?, updated_at=? WHERE id=?",
                (
                    key,
                    raw_bytes(new_path),
                    folder_id,
                    mtime_ns,
                    ctime_ns,
                    inode,
                    time.time(),
                    photo_id,
                ),
            )

    def delete(self, ids: Iterable[int]) -> None:
        with self.transaction() as db:
            db.executemany("DELETE FROM photos WHERE id = ?", [(i,) for i in ids])

    def indexed_by_hash(self, hashes: Iterable[str]) -> dict[str, PhotoRow]:
        out: dict[str, PhotoRow] = {}
        hashes = list(hashes)
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._photo_rows(f"status = ? AND hash IN ({marks})", [INDEXED, *chunk]):
                out.setdefault(row.hash, row)  # type: ignore[arg-type]
        return out

"""Rebuild a damaged catalog: keep the damaged file aside, carry over what still reads.

The damaged file (and its WAL) is renamed, never deleted. The new catalog gets the
library's folders and model from the damaged file where those tables still read, else
from ``library.json`` (a copy each writer leaves when it closes), and every photo row that
still reads and whose file is still on disk, with its id: its vector in the store is kept.
The next scan re-adds the rest as new photos, and the store's reconcile drops the vectors
nobody claims any more.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from index.atomic import atomic_target
from index.catalog import Catalog
from index.error_text import N_
from index.paths import is_within

RECORD_FILE = "library.json"
_PHOTO_COLUMNS = "id, path, folder_id, size, mtime_ns, hash, status, reason, model_id"

log = logging.getLogger("photosearch.index")


@dataclass
class Salvage:
    folders: dict[int, str] = field(default_factory=dict)
    model: str | None = None
    photos: list[tuple] = field(default_factory=list)


def write_record(root: Path, catalog: Catalog) -> None:
    """Leave the folder list and model beside the catalog, for a rebuild after damage."""
    record = {"folders": [f.path for f in catalog.folders()], "model": catalog.get_meta("model")}
    try:
        with atomic_target(root / RECORD_FILE, durable=False) as tmp:
            tmp.write_text(json.dumps(record, indent=1))
    except OSError:
        pass  # only a fallback for a rebuild


def rebuild(path: Path, reason: str) -> None:
    """Set the damaged catalog at ``path`` aside and write a new one in its place."""
    salvage = _salvage(path)
    kept = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.replace(f"{path}{suffix}", f"{kept}{suffix}")
    record = _read_record(path.parent / RECORD_FILE)
    if not salvage.folders:
        salvage.folders = dict(enumerate(record.get("folders", []), start=1))
    salvage.model = salvage.model or record.get("model")
    salvage.photos = _still_there(salvage.photos, salvage.folders)

    catalog = Catalog(path)
    try:
        _restore(catalog, salvage)
    finally:
        catalog.close()
    log.warning(
        N_(
            "the catalog was damaged (%s); it was kept as %s and rebuilt from %d folders,"
            " %d photos carried over, the rest are scanned again"
        ),
        reason,
        kept.name,
        len(salvage.folders),
        len(salvage.photos),
    )


def _salvage(path: Path) -> Salvage:
    """What still reads, table by table (rows up to the first bad page of each)."""
    found = Salvage()
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.DatabaseError:
        return found
    with closing(db):
        try:
            found.folders = dict(db.execute("SELECT id, path FROM folders").fetchall())
        except sqlite3.DatabaseError:
            pass
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'model'").fetchone()
            found.model = row[0] if row else None
        except sqlite3.DatabaseError:
            pass
        try:
            for row in db.execute(f"SELECT {_PHOTO_COLUMNS} FROM photos"):
                found.photos.append(row)  # row by row: a bad page loses only what follows
        except sqlite3.DatabaseError:
            pass
    return found


def _still_there(photos: list[tuple], folders: dict[int, str]) -> list[tuple]:
    """Rows whose file still exists, each under the library folder that holds it."""
    kept = []
    for photo in photos:
        owner = next((fid for fid, fpath in folders.items() if is_within(photo[1], fpath)), None)
        if owner is not None and os.path.exists(photo[1]):
            kept.append((photo[0], photo[1], owner, *photo[3:]))
    return kept


def _read_record(path: Path) -> dict:
    try:
        record = json.loads(path.read_text())
        return record if isinstance(record, dict) else {}
    except (OSError, ValueError):
        return {}


def _restore(catalog: Catalog, salvage: Salvage) -> None:
    with catalog.transaction() as db:
        if salvage.model:
            db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('model', ?)", (salvage.model,)
            )
        db.executemany(
            "INSERT INTO folders(id, path, added_at) VALUES (?, ?, ?)",
            [(fid, fpath, time.time()) for fid, fpath in salvage.folders.items()],
        )
        db.executemany(
            f"INSERT INTO photos({_PHOTO_COLUMNS}, updated_at) VALUES ({', '.join('?' * 10)})",
            [(*p, time.time()) for p in salvage.photos],
        )

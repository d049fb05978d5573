"""Photo metadata in the catalog file (table ``photo_meta``, schema 6: index/migrations.py).

One row per photo, keyed by the photo's id (deleted with it). Place names are resolved
here, when rows are written, in one batch per write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from index.catalog import INDEXED, Catalog
from index.photo_meta import COLUMNS, PhotoMeta
from index.places import places

_INSERT = (
    f"INSERT OR REPLACE INTO photo_meta(photo_id, {', '.join(COLUMNS)})"
    f" VALUES ({', '.join('?' * (len(COLUMNS) + 1))})"
)


def with_places(metas: Sequence[PhotoMeta]) -> list[PhotoMeta]:
    """``metas`` with city, region and country filled in where they have a position."""
    located = [i for i, m in enumerate(metas) if m.lat is not None and m.lon is not None]
    out = list(metas)
    names = places([(metas[i].lat, metas[i].lon) for i in located])  # type: ignore[misc]
    for i, (city, region, country) in zip(located, names, strict=True):
        out[i] = replace(out[i], city=city, region=region, country=country)
    return out


def write_meta(catalog: Catalog, rows: Sequence[tuple[int, PhotoMeta]]) -> None:
    """Store metadata for photos (replacing what they had), place names resolved."""
    if not rows:
        return
    metas = with_places([meta for _, meta in rows])
    with catalog.transaction() as db:
        db.executemany(_INSERT, [m.row(pid) for (pid, _), m in zip(rows, metas, strict=True)])


def read_meta(catalog: Catalog, ids: Iterable[int]) -> dict[int, PhotoMeta]:
    ids = list(ids)
    out: dict[int, PhotoMeta] = {}
    if not has_meta_table(catalog):
        return out
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in catalog.read(
            f"SELECT photo_id, {', '.join(COLUMNS)} FROM photo_meta WHERE photo_id IN ({marks})",
            chunk,
        ):
            out[row[0]] = PhotoMeta(*row[1:])
    return out


def ids_without_meta(catalog: Catalog, limit: int) -> list[int]:
    """Indexed photos with no metadata row (indexed before schema 6, or interrupted)."""
    rows = catalog.read(
        "SELECT p.id FROM photos p LEFT JOIN photo_meta m ON m.photo_id = p.id"
        " WHERE p.status = ? AND m.photo_id IS NULL ORDER BY p.id LIMIT ?",
        (INDEXED, limit),
    )
    return [r[0] for r in rows]


def has_meta_table(catalog: Catalog) -> bool:
    """False for a catalog opened read-only before its writer upgraded it to schema 6."""
    rows = catalog.read("SELECT 1 FROM sqlite_master WHERE type='table' AND name='photo_meta'")
    return bool(rows)

"""Browsing the library newest first: month counts and pages, under a filter."""

from __future__ import annotations

from index.catalog import Catalog
from index.meta_columns import MetaColumns
from index.photo_filter import PhotoFilter
from index.timeline import Timeline


def _catalog(tmp_path) -> Catalog:
    catalog = Catalog(tmp_path / "catalog.db")
    a = catalog.add_folder("/a").id
    b = catalog.add_folder("/b").id
    photos = [  # (path, folder, date taken or None: metadata not read yet)
        ("/a/0.jpg", a, 20240714120000),
        ("/a/1.jpg", a, 20261103120000),
        ("/a/2.jpg", a, 20261120120000),
        ("/a/3.jpg", a, 20250102120000),
        ("/b/new.jpg", b, 20261005120000),
        ("/b/unread.jpg", b, None),
    ]
    for i, (path, folder, taken) in enumerate(photos):
        photo = catalog.upsert_pending(path, folder, 10, 1)
        catalog.mark_indexed([(photo, 10, 1, f"h{i}", None, None)], "model")
        if taken is not None:
            with catalog.transaction() as db:
                db.execute(
                    "INSERT INTO photo_meta(photo_id, taken, date_source) VALUES (?, ?, 'exif')",
                    (photo, taken),
                )
    catalog.record_skipped("/a/bad.jpg", a, 1, 1, "not an image")
    return catalog


def test_months_count_every_photo_newest_first_undated_last_and_skip_bad_files(tmp_path):
    catalog = _catalog(tmp_path)
    months = [
        (m.year, m.month, m.count)
        for m in Timeline(catalog, MetaColumns(catalog), PhotoFilter()).read()
    ]
    assert months == [(2026, 11, 2), (2026, 10, 1), (2025, 1, 1), (2024, 7, 1), (0, 0, 1)]


def test_pages_follow_the_months_order_and_a_filter_keeps_its_own(tmp_path):
    catalog = _catalog(tmp_path)
    timeline = Timeline(catalog, MetaColumns(catalog), PhotoFilter())
    timeline.read()
    pages = [p.path for p in timeline.page(0, 2)] + [p.path for p in timeline.page(2, 2)]
    assert pages == ["/a/2.jpg", "/a/1.jpg", "/b/new.jpg", "/a/3.jpg"]
    assert [p.path for p in timeline.page(4, 5)] == ["/a/0.jpg", "/b/unread.jpg"]
    only_a = Timeline(catalog, MetaColumns(catalog), PhotoFilter(folder="/a", after=20250101000000))
    assert sum(m.count for m in only_a.read()) == 3
    assert [p.path for p in only_a.page(0, 10)] == ["/a/2.jpg", "/a/1.jpg", "/a/3.jpg"]

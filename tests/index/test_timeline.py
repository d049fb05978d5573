"""Browsing the library newest first: month counts and pages from the catalog."""

from __future__ import annotations

import datetime

from index.catalog import Catalog
from index.timeline import Timeline

NS = 1_000_000_000


def _at(year: int, month: int, day: int) -> int:
    return int(datetime.datetime(year, month, day, 12).timestamp()) * NS


def _catalog(tmp_path) -> tuple[Catalog, int, int]:
    catalog = Catalog(tmp_path / "catalog.db")
    a = catalog.add_folder("/a").id
    b = catalog.add_folder("/b").id
    dates = [_at(2024, 7, 14), _at(2026, 11, 3), _at(2026, 11, 20), _at(2025, 1, 2)]
    for i, date in enumerate(dates):
        photo = catalog.upsert_pending(f"/a/{i}.jpg", a, 10, date)
        catalog.mark_indexed([(photo, 10, date, f"h{i}", None, None)], "model")
    catalog.upsert_pending("/b/new.jpg", b, 10, _at(2026, 10, 5))  # pending: shown
    catalog.record_skipped("/a/bad.jpg", a, 1, _at(2026, 12, 1), "not an image")
    return catalog, a, b


def test_months_count_every_photo_newest_first_and_skip_unreadable_files(tmp_path):
    catalog, _, _ = _catalog(tmp_path)
    months = [(m.year, m.month, m.count) for m in Timeline(catalog).months()]
    assert months == [(2026, 11, 2), (2026, 10, 1), (2025, 1, 1), (2024, 7, 1)]


def test_pages_follow_the_months_order_and_a_folder_keeps_its_own(tmp_path):
    catalog, a, _ = _catalog(tmp_path)
    timeline = Timeline(catalog)
    pages = [p.path for p in timeline.page(0, 2)] + [p.path for p in timeline.page(2, 2)]
    assert pages == ["/a/2.jpg", "/a/1.jpg", "/b/new.jpg", "/a/3.jpg"]
    assert [p.path for p in timeline.page(4, 2)] == ["/a/0.jpg"]
    only_a = Timeline(catalog, a)
    assert sum(m.count for m in only_a.months()) == 4
    assert "/b/new.jpg" not in [p.path for p in only_a.page(0, 10)]

"""Counts of photos in the window are written with the locale's digit grouping: "1,002"
in English, "1.002" where the locale groups with dots."""

from __future__ import annotations

import datetime
import time

import pytest
from PySide6.QtCore import QLocale

from index.pipeline import Progress

from .conftest import add_offline_rows, copy_scenes, index_folder, open_ready

OFFLINE = 1_002  # rows of an offline folder: kept, never rescanned


@pytest.fixture
def use_locale():
    """Set the locale the window writes numbers in (as the language setting does)."""
    before = QLocale()
    yield lambda name: QLocale.setDefault(QLocale(name))
    QLocale.setDefault(before)


@pytest.fixture
def large_library(tmp_path, demo_photos):
    """Two real photos and 1,002 rows of a folder named "offline"."""
    library = index_folder(tmp_path / "lib", copy_scenes(demo_photos, tmp_path / "p", 2))
    add_offline_rows(library, tmp_path / "offline", OFFLINE, datetime.datetime(2020, 1, 1))
    return library


def _offline_folder_text(window) -> str:
    return next(t for t in window.folders_panel.folder_texts() if t.startswith("offline"))


def test_header_folders_and_status_group_digits_as_the_locale_does(
    make_window, qtbot, large_library, use_locale
):
    use_locale("de_DE")
    window, controller = open_ready(make_window, qtbot, large_library)
    qtbot.waitUntil(lambda: controller.browse.count == OFFLINE + 2, timeout=10_000)
    qtbot.waitUntil(lambda: "1.004" in window.status.count.full_text(), timeout=10_000)
    assert window.header.full_text().startswith("1.004 photos")
    assert "1.002 photos" in _offline_folder_text(window)
    assert "1,00" not in window.header.full_text() + _offline_folder_text(window)


def test_a_selection_and_indexing_progress_count_with_grouped_digits(
    make_window, qtbot, large_library, use_locale
):
    use_locale("en_US")
    window, controller = open_ready(make_window, qtbot, large_library)
    view = window.results_view
    qtbot.waitUntil(lambda: view.model() is controller.browse.model, timeout=10_000)
    qtbot.waitUntil(lambda: controller.browse.count == OFFLINE + 2, timeout=10_000)
    view.selectAll()
    menu = view.context_menu(view.model().index(0))
    assert "Find similar (1,004 photos)" in [action.text() for action in menu.actions()]
    progress = Progress(done=1_002, total=12_500, skipped=0, started=time.monotonic())
    window.status.set_progress(progress)
    assert window.status.progress.text() == "indexing 1,002 / 12,500"

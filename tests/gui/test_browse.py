"""Browse, not only search: with no query the window shows the library newest first,
under month headers, a page at a time, with a thumbnail size the user picks."""

from __future__ import annotations

import datetime
import os

from app.gui.browse_model import month_title
from app.gui.results_model import PathRole
from app.gui.settings import GuiSettings
from index.timeline import PAGE_SIZE

from .conftest import add_offline_rows, copy_scenes, index_folder, open_ready


def _dated(folder, months: list[tuple[int, int]]) -> list[str]:
    """Give the folder's photos file times in ``months`` (one each, in turn)."""
    paths = sorted(str(p) for p in folder.iterdir())
    for i, path in enumerate(paths):
        year, month = months[i % len(months)]
        when = datetime.datetime(year, month, 10 + i % 10, 12).timestamp()
        os.utime(path, (when, when))
    return paths


def test_an_empty_query_shows_every_photo_newest_first_under_month_headers(
    make_window, qtbot, tmp_path, demo_photos
):
    folder = copy_scenes(demo_photos, tmp_path / "photos", 9)
    _dated(folder, [(2026, 11), (2026, 9), (2025, 2)])
    window, controller = open_ready(make_window, qtbot, index_folder(tmp_path / "lib", folder))
    model = controller.browse.model
    qtbot.waitUntil(lambda: model.rowCount() == 9, timeout=10_000)
    assert window.stack.currentWidget() is window.results_view
    assert window.results_view.model() is model
    expected = [month_title(2026, 11), month_title(2026, 9), month_title(2025, 2)]
    assert window.results_view.header_titles() == expected
    assert expected[0] == "November 2026"  # (the test runs in the C locale)
    qtbot.waitUntil(lambda: model.index(8).data(PathRole) is not None, timeout=10_000)
    times = [os.stat(model.index(r).data(PathRole)).st_mtime for r in range(9)]
    assert times == sorted(times, reverse=True)

    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a red circle")
    assert window.results_view.model() is window.results_model
    controller.search.search_text("")  # cleared: back to browsing
    assert window.results_view.model() is model


def test_choosing_a_folder_browses_only_its_photos(make_window, qtbot, tmp_path, demo_photos):
    first = copy_scenes(demo_photos, tmp_path / "first", 4)
    second = copy_scenes(demo_photos, tmp_path / "second", 3, skip=4)
    library = index_folder(tmp_path / "lib", first)
    index_folder(library, second)
    window, controller = open_ready(make_window, qtbot, library)
    qtbot.waitUntil(lambda: controller.browse.count == 7, timeout=10_000)
    panel = window.folders_panel
    qtbot.waitUntil(lambda: panel.list.count() == 2, timeout=10_000)
    with qtbot.waitSignal(controller.browse.changed, timeout=10_000):
        tips = [panel.list.item(i).toolTip() for i in range(2)]
        panel.list.setCurrentRow(tips.index(str(second)))
    assert controller.browse.count == 3
    assert "in second" in window.header.full_text()


def test_the_thumbnail_size_control_resizes_the_grid_and_is_remembered(
    make_window, qtbot, indexed_library
):
    window, controller = open_ready(make_window, qtbot, indexed_library)
    qtbot.waitUntil(lambda: controller.browse.count > 0, timeout=10_000)
    view = window.results_view
    columns = view.columns
    window.thumb_slider.setValue(window.thumb_slider.maximum())
    assert view.thumb == window.thumb_slider.maximum() and view.columns < columns
    assert GuiSettings.load().thumb == window.thumb_slider.maximum()
    qtbot.waitUntil(lambda: controller.browse.thumbnails.loads > 0, timeout=10_000)


def test_a_large_library_is_read_a_page_at_a_time_and_thumbnails_only_for_what_shows(
    make_window, qtbot, tmp_path, demo_photos
):
    """20,000 catalog rows (two real photos, the rest rows of a folder that is offline, so
    kept): the window reads only the pages it shows, and loads only the thumbnails of
    the cells it paints."""
    library = index_folder(tmp_path / "lib", copy_scenes(demo_photos, tmp_path / "p", 2))
    add_offline_rows(library, tmp_path / "many", 20_000, datetime.datetime(2020, 1, 1))
    window, controller = open_ready(make_window, qtbot, library)
    model, view = controller.browse.model, window.results_view
    qtbot.waitUntil(lambda: model.rowCount() == 20_002, timeout=10_000)
    qtbot.waitUntil(lambda: model.index(0).data(PathRole) is not None, timeout=10_000)
    assert model.pages_loaded == 1 and model.sections[1].title == month_title(2022, 4)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)
    middle = view.visible_rows()
    qtbot.waitUntil(lambda: model.index(middle.start).data(PathRole) is not None, timeout=10_000)
    assert model.pages_loaded <= 3  # the first page and the one(s) in view, not 50
    qtbot.waitUntil(lambda: controller.browse.thumbnails.loads >= len(middle), timeout=20_000)
    assert controller.browse.thumbnails.loads < 3 * PAGE_SIZE // 2

"""Show N and Settings' results count are one value, and the results on show follow it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.gui.settings import GuiSettings

from .conftest import open_ready


def test_typing_a_count_reruns_the_current_query_with_it(make_window, qtbot, indexed_library):
    window, controller = open_ready(make_window, qtbot, indexed_library)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a green star")
    assert len(controller.search.outcome.items) == 48
    window.count_box.setFocus()
    window.count_box.selectAll()
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        qtbot.keyClicks(window.count_box, "26")  # no Enter, as a user leaves it
    assert (controller.search.outcome.request.query, len(controller.search.outcome.items)) == (
        "a green star",
        26,
    )


def test_the_settings_count_is_the_show_box_and_reruns_find_similar(
    make_window, qtbot, indexed_library, demo_photos
):
    window, controller = open_ready(make_window, qtbot, indexed_library)
    photo = sorted(demo_photos[1])[0]
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_similar(photo)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.apply_settings(GuiSettings(results=12))
    assert window.count_box.value() == 12
    assert (controller.search.outcome.request.query, len(controller.search.outcome.items)) == (
        photo,
        12,
    )
    qtbot.keyClick(window.count_box, Qt.Key.Key_Up)
    assert GuiSettings.load().results == 13  # remembered for the next start

"""The window's size is the user's: long queries, names and messages never widen it."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from .conftest import open_ready


def test_a_long_query_does_not_widen_the_window(make_window, qtbot, indexed_library):
    window, controller = open_ready(make_window, qtbot, indexed_library)
    width = window.width()
    query = "a red circle next to a blue square " * 40 + "x" * 400
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        window.search.setText(query)
        controller.search.search_text(query)
    controller.show_error("Cannot read " + "/very/long/path" * 60)
    QApplication.processEvents()
    qtbot.wait(100)
    assert window.width() == width
    assert window.minimumSizeHint().width() < 1000
    assert window.settings_button.geometry().right() < window.width()
    assert query.strip() in window.header.toolTip()  # the whole query is one hover away


def test_the_grid_fills_its_width_and_the_status_line_shows(make_window, qtbot, indexed_library):
    window, controller = open_ready(make_window, qtbot, indexed_library)
    window.resize(1280, 800)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a red circle")
    qtbot.wait(100)
    view = window.results_view
    assert view.verticalScrollBar().isVisible()  # 48 results do not fit
    first_row = view.visualRect(window.results_model.index(0)).top()
    columns = sum(
        view.visualRect(window.results_model.index(row)).top() == first_row
        for row in range(window.results_model.rowCount())
    )
    assert columns >= 3
    assert view.viewport().width() - columns * view.gridSize().width() < 20  # no empty strip
    qtbot.waitUntil(lambda: window.status.count.width() > 100, timeout=10_000)
    assert "photos in the library" in window.status.count.text()


def test_at_the_minimum_size_the_grid_has_two_columns_and_the_field_room(
    make_window, qtbot, indexed_library
):
    window, controller = open_ready(make_window, qtbot, indexed_library)
    window.resize(window.minimumSize())
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a red circle")
    qtbot.wait(100)
    model, view = window.results_model, window.results_view
    top = view.visualRect(model.index(0)).top()
    assert view.visualRect(model.index(1)).top() == top  # the second photo is beside the first
    assert window.search.width() >= 150
    assert window.width() == window.minimumSize().width()


def test_a_new_thumbnail_size_keeps_the_first_month_header_in_view(
    make_window, qtbot, indexed_library
):
    window, controller = open_ready(make_window, qtbot, indexed_library)
    window.resize(1280, 800)
    view = window.results_view
    qtbot.waitUntil(lambda: view.model() is controller.browse.model, timeout=10_000)
    qtbot.waitUntil(lambda: controller.browse.count > 0, timeout=10_000)
    columns = view.columns
    window.thumb_slider.setValue(window.thumb_slider.maximum())
    assert view.columns != columns
    assert view.verticalScrollBar().value() == 0  # the month's header, not its first row
    assert view.header_titles()


def test_at_the_minimum_size_the_preview_folds_and_the_filters_keep_their_words(
    make_window, qtbot, indexed_library
):
    window, _ = open_ready(make_window, qtbot, indexed_library)
    window.resize(1280, 800)
    qtbot.wait(50)
    width = window.splitter.sizes()[2]
    assert width > 0
    window.resize(window.minimumSize())
    qtbot.wait(50)
    assert window.splitter.sizes()[2] == 0  # the preview folded away
    bar = window.filter_bar
    for combo in (bar.type, bar.folder, bar.sort):  # "Any type", not "Any t"
        assert combo.width() >= combo.sizeHint().width(), combo.currentText()
    window.resize(1280, 800)
    qtbot.wait(50)
    assert window.splitter.sizes()[2] == width  # back, as wide as it was


def test_at_the_minimum_size_the_header_keeps_its_first_words_whole(
    make_window, qtbot, indexed_library
):
    """The header is cut at its end, between words, so what it says first stays readable
    (the count and what it is of), never with "…" inside a word."""
    window, controller = open_ready(make_window, qtbot, indexed_library)
    window.resize(window.minimumSize())
    query = "two blue squares on a striped background"
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text(query)
    qtbot.wait(100)
    full, shown = window.header.full_text(), window.header.text()
    assert shown != full and shown.endswith("…")  # it does not fit: cut
    kept = shown[: -len("…")]
    assert full.startswith(kept)  # the beginning, as written
    assert full[len(kept)] == " " or full[len(kept) - 1] in ",·"  # at a word's end
    assert window.header.fontMetrics().horizontalAdvance(shown) <= window.header.width()

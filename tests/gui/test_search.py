"""Searching from the window: typing fills the grid; "find similar" puts the photo first."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt

from .conftest import needs_demo_model


def _open_ready(make_window, qtbot, library):
    window = make_window(library)
    assert window.placeholder.text()  # something is said while the model loads
    with qtbot.waitSignal(window.ready, timeout=120_000):
        pass
    return window


@needs_demo_model
def test_typing_a_query_fills_the_results_with_matching_photos(
    make_window, qtbot, indexed_library, demo_photos
):
    from engine.demo.scenes.matching import caption_satisfies

    window = _open_ready(make_window, qtbot, indexed_library)
    _, captions = demo_photos
    with qtbot.waitSignal(window.results_shown, timeout=30_000):
        qtbot.keyClicks(window.search, "a red circle")  # debounced: no Enter needed
    model = window.results_model
    assert model.rowCount() == min(window.count_box.value(), len(captions))
    top = [model.item(row).path for row in range(3)]
    assert all(caption_satisfies(captions[p], "a red circle") for p in top), [
        captions[p] for p in top
    ]
    first = model.index(0)
    assert os.path.basename(top[0]) in model.data(first, Qt.ItemDataRole.ToolTipRole)
    assert "score" in model.data(first, Qt.ItemDataRole.ToolTipRole)
    assert not model.data(first, Qt.ItemDataRole.DecorationRole).isNull()


def test_find_similar_puts_the_photo_first(make_window, qtbot, indexed_library, demo_photos):
    window = _open_ready(make_window, qtbot, indexed_library)
    with qtbot.waitSignal(window.results_shown, timeout=30_000):
        window.search_text("a large blue square")
    model = window.results_model
    assert model.rowCount() > 5
    chosen = model.item(5).path
    with qtbot.waitSignal(window.results_shown, timeout=30_000):
        window.results_view.similar_requested.emit(chosen)  # what the context menu emits
    assert model.item(0).path == chosen
    assert model.item(0).score > 0.99
    assert "photos like" in window.header.text()
    # the first result is selected and shown larger
    qtbot.waitUntil(lambda: window.preview.path == chosen, timeout=10_000)
    assert os.path.basename(chosen) in window.preview.caption.text()
    assert not window.preview.image_label.pixmap().isNull()
    assert not window.banner.text()


def test_result_count_is_adjustable_and_enter_searches(make_window, qtbot, indexed_library):
    window = _open_ready(make_window, qtbot, indexed_library)
    window.count_box.setValue(7)
    window.count_box.editingFinished.emit()
    window.search.setText("a green star")
    with qtbot.waitSignal(window.results_shown, timeout=30_000):
        qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.results_model.rowCount() == 7
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus() or window.search.selectedText() == "a green star"

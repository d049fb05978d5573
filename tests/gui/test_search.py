"""Searching from the window: typing fills the results; "find similar" puts the photo first."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from .conftest import needs_demo_model


def _open_ready(make_window, qtbot, library):
    window = make_window(library)
    assert window.controller.placeholder  # something is said while the model loads
    with qtbot.waitSignal(window.controller.ready, timeout=120_000):
        pass
    return window, window.controller


def _paths(controller) -> list[str]:
    return [item.path for item in controller.search.outcome.items]


@needs_demo_model
def test_typing_a_query_fills_the_results_with_matching_photos(
    make_window, qtbot, indexed_library, demo_photos
):
    from engine.demo.scenes.matching import caption_satisfies

    window, controller = _open_ready(make_window, qtbot, indexed_library)
    _, captions = demo_photos
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        qtbot.keyClicks(window.search, "a red circle")  # debounced: no Enter needed
    assert controller.search.outcome.request.query == "a red circle"
    assert len(controller.search.outcome.items) == min(controller.settings.results, len(captions))
    top = _paths(controller)[:3]
    assert all(caption_satisfies(captions[p], "a red circle") for p in top), [
        captions[p] for p in top
    ]
    # the grid shows them, with a tooltip and a thumbnail
    model = window.results_model
    first = model.index(0)
    assert model.rowCount() == len(controller.search.outcome.items)
    assert os.path.basename(top[0]) in model.data(first, Qt.ItemDataRole.ToolTipRole)
    assert not model.data(first, Qt.ItemDataRole.DecorationRole).isNull()


def test_find_similar_puts_the_photo_first_and_previews_it(
    make_window, qtbot, indexed_library, demo_photos
):
    window, controller = _open_ready(make_window, qtbot, indexed_library)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a large blue square")
    assert len(controller.search.outcome.items) > 5
    chosen = controller.search.outcome.items[5].path
    errors: list[str] = []
    controller.message.connect(lambda text, kind: errors.append(text) if kind == "error" else None)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        window.results_view.similar_to_selection.emit([chosen])  # what the context menu emits
    first = controller.search.outcome.items[0]
    assert controller.search.outcome.request.kind == "image"
    assert (first.path, first.score > 0.99) == (chosen, True)
    # the first result is selected and shown larger
    qtbot.waitUntil(lambda: window.preview.path == chosen, timeout=10_000)
    assert not window.preview.image_label.pixmap().isNull()
    assert errors == []


def test_the_result_count_applies_to_the_next_search_and_enter_searches(
    make_window, qtbot, indexed_library
):
    window, controller = _open_ready(make_window, qtbot, indexed_library)
    window.count_box.setValue(7)
    window.count_box.editingFinished.emit()
    assert controller.settings.results == 7
    window.search.setText("a green star")
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert len(controller.search.outcome.items) == 7


def test_ctrl_f_focuses_the_search_field_and_selects_its_text(make_window, qtbot, indexed_library):
    window, _ = _open_ready(make_window, qtbot, indexed_library)
    window.search.setText("a green star")
    window.results_view.setFocus()
    qtbot.waitUntil(lambda: not window.search.hasFocus(), timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.selectedText() == "a green star"


def test_clearing_the_query_clears_the_results(make_window, qtbot, indexed_library):
    window, controller = _open_ready(make_window, qtbot, indexed_library)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a green star")
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000) as cleared:
        window.search.clear()
    assert cleared.args == [None] and controller.search.outcome is None
    assert window.results_model.rowCount() == 0


def test_find_similar_on_a_selection_finds_photos_like_all_of_them(
    make_window, qtbot, indexed_library
):
    window, controller = _open_ready(make_window, qtbot, indexed_library)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a red circle")
    chosen = [controller.search.outcome.items[i].path for i in (0, 4)]
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        window.results_view.similar_to_selection.emit(chosen)  # the menu, on two photos
    outcome = controller.search.outcome
    assert outcome.request.kind == "images" and window.search.text() == ""
    top = [item.path for item in outcome.items[:10]]
    assert set(chosen) <= set(top), top
    assert "these 2" in window.header.full_text()


@needs_demo_model
def test_a_chinese_query_typed_into_the_search_field_finds_its_scenes(
    make_window, qtbot, indexed_library, demo_photos
):
    from engine.demo.scenes.matching import caption_satisfies

    window, controller = _open_ready(make_window, qtbot, indexed_library)
    _, captions = demo_photos
    window.search.setFocus()
    # Chinese arrives from an input method as a commit, not as key presses
    typed = QInputMethodEvent("", [])
    typed.setCommitString("红色圆形")
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        QApplication.sendEvent(window.search, typed)
    assert controller.search.outcome.request.query == "红色圆形"
    top = _paths(controller)[:3]
    assert all(caption_satisfies(captions[p], "a red circle") for p in top), [
        captions[p] for p in top
    ]

"""The full-size viewer: Space opens the selected photo, arrows step, Escape goes back."""

from __future__ import annotations

from PySide6.QtCore import Qt

from .conftest import open_ready


def test_space_opens_the_viewer_arrows_step_and_escape_returns_to_the_same_photo(
    make_window, qtbot, indexed_library
):
    window, controller = open_ready(make_window, qtbot, indexed_library)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a blue square")
    paths = [item.path for item in controller.search.outcome.items]
    view, viewer = window.results_view, window.viewer
    view.setFocus()
    view.setCurrentIndex(window.results_model.index(2))

    with qtbot.waitSignal(controller.search.full_loaded, timeout=30_000):
        qtbot.keyClick(view, Qt.Key.Key_Space)
    assert window.stack.currentWidget() is viewer and viewer.path == paths[2]
    qtbot.waitUntil(lambda: not viewer.image.pixmap().isNull(), timeout=5_000)
    fitted = viewer.image.pixmap().size()
    assert fitted.width() <= viewer.scroll.viewport().width()

    with qtbot.waitSignal(controller.search.full_loaded, timeout=30_000):
        qtbot.keyClick(viewer, Qt.Key.Key_Right)
    assert viewer.path == paths[3]
    qtbot.keyClick(viewer, Qt.Key.Key_Z)  # 100 %: the photo's own pixels
    assert viewer.actual_size and viewer.image.pixmap().size() != fitted

    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is view
    assert view.current_path() == paths[3] and view.hasFocus()

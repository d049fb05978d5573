"""Nothing on screen outlives what it was about."""

from __future__ import annotations

import os

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication

from .conftest import open_ready


def _drop(window, path) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def _errors(controller) -> list[str]:
    seen: list[str] = []
    controller.message.connect(lambda text, kind: seen.append(text) if kind == "error" else None)
    return seen


def test_find_similar_clears_the_typed_query_from_the_field(
    make_window, qtbot, indexed_library, demo_photos
):
    window, controller = open_ready(make_window, qtbot, indexed_library)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        qtbot.keyClicks(window.search, "a red circle")
        qtbot.keyClick(window.search, Qt.Key.Key_Return)
    photo = sorted(demo_photos[1])[3]
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        window.results_view.similar_to_selection.emit([photo])  # the menu's Find similar
    assert controller.search.outcome.request.query == photo
    assert window.search.text() == ""


def test_a_photo_dropped_with_text_in_the_field_searches_both_and_keeps_the_text(
    make_window, qtbot, indexed_library, demo_photos
):
    """Issue 21: text combined with an image, as ``search --image PHOTO TEXT`` does."""
    window, controller = open_ready(make_window, qtbot, indexed_library)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        qtbot.keyClicks(window.search, "a red circle")
        qtbot.keyClick(window.search, Qt.Key.Key_Return)
    by_text = [item.path for item in controller.search.outcome.items]
    photo = sorted(demo_photos[1])[3]
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        _drop(window, photo)
    outcome = controller.search.outcome
    assert outcome.request.query == f"a red circle\n{photo}"
    assert window.search.text() == "a red circle"  # the text is part of the query on show
    assert "a red circle" in outcome.summary() and os.path.basename(photo) in outcome.summary()
    combined = [item.path for item in outcome.items]
    assert combined[0] == photo  # the photo itself leads: it is half the query
    assert combined != by_text


def test_a_dropped_non_image_says_so_plainly_and_the_error_goes_with_the_next_search(
    make_window, qtbot, indexed_library, tmp_path
):
    window, controller = open_ready(make_window, qtbot, indexed_library)
    errors = _errors(controller)
    fake = tmp_path / "notes.jpg"
    fake.write_text("not a photo")
    _drop(window, fake)
    qtbot.waitUntil(lambda: bool(errors), timeout=30_000)
    assert "notes.jpg" in errors[0] and "Error" not in errors[0], errors[0]
    assert window.banner.isVisible()
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a blue square")
    assert not window.banner.isVisible()


def test_a_dropped_text_file_and_a_dropped_folder_are_answered(
    make_window, qtbot, tmp_path, demo_photos
):
    window, controller = open_ready(make_window, qtbot, tmp_path / "library")
    errors = _errors(controller)
    text = tmp_path / "readme.txt"
    text.write_text("hello")
    _drop(window, text)
    assert errors and "not a photo" in errors[0]
    with qtbot.waitSignal(controller.folders.signals.finished, timeout=120_000):
        _drop(window, demo_photos[0])  # a folder: added to the library
    assert [f.path for f in controller.folders.indexing.library.catalog.folders()] == [
        str(demo_photos[0])
    ]


def test_copy_path_confirms_with_a_toast(make_window, qtbot, indexed_library):
    window, controller = open_ready(make_window, qtbot, indexed_library)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a green star")
    paths = [item.path for item in controller.search.outcome.items[:3]]
    with qtbot.waitSignal(controller.toast, timeout=5_000) as toast:
        window.results_view.copy_requested.emit(paths)  # what the context menu emits
    assert QGuiApplication.clipboard().text() == "\n".join(paths)
    assert "3 paths" in toast.args[0]
    assert "3 paths" in window.statusBar().currentMessage()


def test_the_preview_of_a_result_goes_when_the_search_is_cleared(
    make_window, qtbot, indexed_library
):
    window, controller = open_ready(make_window, qtbot, indexed_library)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a red circle")
    qtbot.waitUntil(lambda: window.preview.path is not None, timeout=10_000)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        window.search.clear()  # back to browsing, where nothing is selected
    assert window.results_view.model() is controller.browse.model
    assert not window.results_view.currentIndex().isValid()
    assert window.preview.path is None

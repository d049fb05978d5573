"""A selection in the browsed library means photos, not loaded rows: it survives the
listing's reloads while indexing adds photos, and a select-all acts on every photo."""

from __future__ import annotations

import datetime

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication

from index.timeline import PAGE_SIZE

from .conftest import add_offline_rows, copy_scenes, index_folder, insert_offline_rows, open_ready

ROWS = 2 * PAGE_SIZE + 200  # three pages of the listing


def _browsing(make_window, qtbot, tmp_path, demo_photos):
    library = index_folder(tmp_path / "lib", copy_scenes(demo_photos, tmp_path / "p", 2))
    add_offline_rows(library, tmp_path / "many", ROWS, datetime.datetime(2020, 1, 1))
    window, controller = open_ready(make_window, qtbot, library)
    model = controller.browse.model
    qtbot.waitUntil(lambda: model.rowCount() == ROWS + 2, timeout=10_000)
    return library, window, controller, model


def test_select_all_then_copy_paths_copies_every_photo_not_only_the_loaded_pages(
    make_window, qtbot, tmp_path, demo_photos
):
    _, window, controller, model = _browsing(make_window, qtbot, tmp_path, demo_photos)
    view = window.results_view
    qtbot.waitUntil(lambda: model.pages_loaded >= 1, timeout=10_000)
    assert model.pages_loaded < 3  # the last page was never shown
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    menu = view.context_menu(model.index(0, 0))
    copy = next(a for a in menu.actions() if a.text().startswith("Copy paths"))
    assert f"({ROWS + 2:,} photos)" in copy.text()
    with qtbot.waitSignal(controller.toast, timeout=10_000) as toast:
        copy.trigger()
    copied = QGuiApplication.clipboard().text().splitlines()
    assert len(copied) == ROWS + 2 and len(set(copied)) == ROWS + 2
    assert str(tmp_path / "many" / "0.jpg") in copied  # the oldest: on the last page
    assert f"{ROWS + 2:,} paths" in toast.args[0]


def test_reloading_while_indexing_keeps_the_selection_and_the_place_in_view(
    make_window, qtbot, tmp_path, demo_photos
):
    _, window, controller, model = _browsing(make_window, qtbot, tmp_path, demo_photos)
    view, selection = window.results_view, window.results_view.selectionModel()
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    middle = view.visible_rows()
    chosen = [middle.start + 1, middle.start + 3, ROWS - 5]  # the last one out of view
    flag = QItemSelectionModel.SelectionFlag
    for row in chosen:
        selection.select(model.index(row, 0), flag.Select)
    selection.setCurrentIndex(model.index(chosen[1], 0), flag.NoUpdate)
    ids, current = model.ids_at(chosen), model.ids_at([chosen[1]])
    top, top_y = model.ids_at([middle.start]), view.visualRect(model.index(middle.start)).top()

    # indexing adds newer photos: they come first, every row above moves down
    catalog = controller.session.library.catalog
    insert_offline_rows(catalog, tmp_path / "new", 50, datetime.datetime(2030, 1, 1))
    with qtbot.waitSignal(controller.browse.changed, timeout=10_000):
        controller.browse.reload()
    assert model.rowCount() == ROWS + 52
    assert list(model.ids_at(window.results_view.selected_rows())) == list(ids)
    assert list(model.ids_at([view.currentIndex().row()])) == list(current)
    now_top = view.visible_rows().start
    assert list(model.ids_at([now_top])) == list(top)
    assert view.visualRect(model.index(now_top)).top() == top_y

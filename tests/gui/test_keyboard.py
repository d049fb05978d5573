"""Keyboard and selection: type at once, Escape clears, select several, Delete trashes."""

from __future__ import annotations

import os

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QMessageBox

from .conftest import answer_next_box, open_ready


def test_the_search_field_has_focus_at_launch_and_escape_clears_it(
    make_window, qtbot, indexed_library
):
    window, controller = open_ready(make_window, qtbot, indexed_library)
    qtbot.waitUntil(window.search.hasFocus, timeout=5_000)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        qtbot.keyClicks(window.search, "a red circle")
    with qtbot.waitSignal(controller.search.results_changed, timeout=5_000) as cleared:
        qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert cleared.args == [None]
    assert (window.search.text(), controller.search.query) == ("", "")


def test_ctrl_a_selects_every_result_and_escape_goes_back_to_the_field(
    make_window, qtbot, indexed_library
):
    window, controller = open_ready(make_window, qtbot, indexed_library)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a blue square")
    view = window.results_view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(view.selected_paths()) == len(controller.search.outcome.items)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.selected_paths() == [] and window.search.hasFocus()


def test_delete_asks_then_moves_the_selected_photos_to_the_trash(
    make_window, qtbot, own_library, isolated_trash
):
    library, folder = own_library
    window, controller = open_ready(make_window, qtbot, library)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a photo")
    view = window.results_view
    model = window.results_model
    view.setCurrentIndex(model.index(0))
    view.selectionModel().select(model.index(2), QItemSelectionModel.SelectionFlag.Select)
    chosen = view.selected_paths()
    assert len(chosen) == 2

    asked: list[str] = []
    answer_next_box(QMessageBox.StandardButton.Cancel, asked)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(asked), timeout=5_000)
    assert "2 photos" in asked[0] and "trash" in asked[0]
    assert all(os.path.exists(p) for p in chosen)  # Cancel keeps them

    answer_next_box(QMessageBox.StandardButton.Yes, asked)
    with qtbot.waitSignal(controller.toast, timeout=10_000) as toast:
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert "2 photos" in toast.args[0]
    assert not any(os.path.exists(p) for p in chosen)
    trashed = sorted(p.name for p in (isolated_trash / "files").iterdir())
    # the trash is shared by the GUI tests (send2trash reads its place once)
    assert {os.path.basename(p) for p in chosen} <= set(trashed)  # restorable from there
    remaining = [item.path for item in controller.search.outcome.items]
    assert not set(chosen) & set(remaining)  # they left the grid at once
    qtbot.waitUntil(lambda: controller.session.photo_count() == 10, timeout=30_000)


def test_copy_to_folder_copies_the_selection_and_never_overwrites(
    make_window, qtbot, indexed_library, tmp_path
):
    window, controller = open_ready(make_window, qtbot, indexed_library)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a red circle")
    chosen = [item.path for item in controller.search.outcome.items[:2]]
    target = tmp_path / "export"
    target.mkdir()
    clash = target / os.path.basename(chosen[0])
    clash.write_bytes(b"mine")
    with qtbot.waitSignal(controller.toast, timeout=10_000) as toast:
        controller.export(chosen, str(target))
    assert "2 photos" in toast.args[0]
    assert clash.read_bytes() == b"mine"  # the file that was there is kept
    stem, suffix = os.path.splitext(os.path.basename(chosen[0]))
    copy = target / f"{stem} (2){suffix}"
    assert copy.read_bytes() == open(chosen[0], "rb").read()
    assert (target / os.path.basename(chosen[1])).read_bytes() == open(chosen[1], "rb").read()
    assert all(os.path.exists(p) for p in chosen)  # originals stay


def test_shift_click_selects_a_run_and_ctrl_click_adds_one(make_window, qtbot, indexed_library):
    window, controller = open_ready(make_window, qtbot, indexed_library)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a blue square")
    view, model = window.results_view, window.results_model

    def click(row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        point = view.visualRect(model.index(row)).center()
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, point)

    click(0)
    click(3, Qt.KeyboardModifier.ShiftModifier)
    click(5, Qt.KeyboardModifier.ControlModifier)
    assert [int(r) for r in view.selected_rows()] == [0, 1, 2, 3, 5]

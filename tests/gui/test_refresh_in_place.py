"""The library is read again every few seconds while indexing: the folders panel and the
filter bar's folder box update in place, so what the user was doing there is not undone."""

from __future__ import annotations

import datetime

from PySide6.QtCore import QItemSelectionModel

from .conftest import add_offline_rows, open_ready

DRIVES = 30  # offline folders, enough that the folders list scrolls


def test_a_refresh_keeps_the_folders_scrolled_and_the_open_folder_box_where_it_was(
    make_window, qtbot, tmp_path, own_library
):
    library, folder = own_library
    for i in range(DRIVES):
        add_offline_rows(library, tmp_path / f"drive{i:02d}", 1, datetime.datetime(2024, 1, 1))
    window, controller = open_ready(make_window, qtbot, library)
    panel, box = window.folders_panel, window.filter_bar.folder
    qtbot.waitUntil(lambda: panel.list.count() == DRIVES + 1 and box.count() == DRIVES + 2)
    chosen = box.findData(str(folder))
    box.setCurrentIndex(chosen)
    with qtbot.waitSignal(controller.browse.changed, timeout=10_000):
        box.activated.emit(chosen)  # as the user's choice arrives
    scroll = panel.list.verticalScrollBar()
    assert scroll.maximum() > 1
    scroll.setValue(scroll.maximum() // 2)  # the user scrolled down the folders
    keyboard = panel.list.model().index(DRIVES // 2, 0)  # Ctrl+arrows: focus, no selection
    panel.list.selectionModel().setCurrentIndex(
        keyboard, QItemSelectionModel.SelectionFlag.NoUpdate
    )
    box.showPopup()  # and opened the folder box, moving its highlight to another folder
    box.view().setCurrentIndex(box.model().index(2 if chosen != 2 else 3, 0))
    where = (
        scroll.value(),
        panel.list.currentRow(),
        box.view().isVisible(),
        box.view().currentIndex().row(),
    )

    with qtbot.waitSignal(controller.folders.library_changed, timeout=10_000):
        controller.folders.refresh()
    qtbot.wait(50)  # what a rebuilt list would do after the signal (deferred deletes)

    assert (
        scroll.value(),
        panel.list.currentRow(),
        box.view().isVisible(),
        box.view().currentIndex().row(),
    ) == where
    assert (box.currentData(), controller.filters.filter.folder) == (str(folder), str(folder))

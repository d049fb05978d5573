"""Removing a folder asks first, says the files stay on disk, and its photos leave the grid."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QMessageBox

from .conftest import answer_next_box, open_ready


def test_remove_asks_says_files_stay_and_empties_the_results(make_window, qtbot, own_library):
    library, folder = own_library
    window, controller = open_ready(make_window, qtbot, library)
    qtbot.waitUntil(lambda: controller.folders.state is not None, timeout=10_000)
    panel = window.folders_panel
    assert not panel.remove_button.isEnabled()  # nothing is selected by itself
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a photo")
    assert controller.search.outcome.items

    panel.list.setCurrentRow(0)
    asked: list[str] = []
    answer_next_box(QMessageBox.StandardButton.Cancel, asked)
    panel.remove_button.click()
    assert "stay on disk" in asked[0]
    assert controller.search.outcome.items and controller.folders.state.folders

    answer_next_box(QMessageBox.StandardButton.Yes, asked)
    panel.remove_button.click()
    assert controller.search.outcome.items == []  # at once, not on the next search
    qtbot.waitUntil(lambda: controller.folders.state.folders == [], timeout=10_000)
    assert len(os.listdir(folder)) == 12  # the files are still there

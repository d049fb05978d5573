"""A folder's exclusions in the window: the folders panel's Exclusions… dialog lists them;
leaving out a subfolder takes its photos out of browse and search, and taking the pattern
back brings them in again after the rescan; a bad pattern says why in one line."""

from __future__ import annotations

import shutil

from app.gui.results_model import PathRole

from .conftest import copy_scenes, index_folder, open_ready

SUBFOLDER = "trip"


def _library_with_a_subfolder(tmp_path, demo_photos):
    """A library of 8 photos, 3 of them in the folder's subfolder ``trip``."""
    folder = copy_scenes(demo_photos, tmp_path / "photos", 5)
    trip = copy_scenes(demo_photos, tmp_path / "trip", 3, skip=5)
    shutil.move(trip, folder / SUBFOLDER)
    return index_folder(tmp_path / "library", folder), folder


def _browsed(qtbot, controller, count: int) -> list[str]:
    """The paths browsing shows, once ``count`` of them have loaded."""
    model = controller.browse.model

    def paths() -> list[str]:
        return [model.index(r).data(PathRole) for r in range(model.rowCount())]

    qtbot.waitUntil(lambda: len(paths()) == count and None not in paths(), timeout=60_000)
    return paths()


def _searched(qtbot, controller) -> list[str]:
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a photo")
    return [item.path for item in controller.search.outcome.items]


def _open_dialog(make_window, qtbot, library):
    window, controller = open_ready(make_window, qtbot, library)
    qtbot.waitUntil(lambda: controller.folders.indexing is not None, timeout=10_000)
    qtbot.waitUntil(lambda: controller.folders.indexing.wait_idle(0), timeout=60_000)
    qtbot.waitUntil(lambda: controller.browse.count == 8, timeout=10_000)
    panel = window.folders_panel
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=10_000)
    panel.list.setCurrentRow(0)
    panel.exclusions_button.click()
    dialog = panel.exclusions_dialog
    assert dialog.isVisible() and dialog.patterns() == []
    return controller, dialog


def _in_trip(paths: list[str]) -> list[str]:
    return [p for p in paths if f"/{SUBFOLDER}/" in p]


def test_leaving_out_a_subfolder_takes_its_photos_out_of_browse_and_search(
    make_window, qtbot, tmp_path, demo_photos
):
    library, _folder = _library_with_a_subfolder(tmp_path, demo_photos)
    controller, dialog = _open_dialog(make_window, qtbot, library)
    assert len(_in_trip(_browsed(qtbot, controller, 8))) == 3

    dialog.pattern.setText(SUBFOLDER)
    dialog.add_button.click()
    qtbot.waitUntil(lambda: dialog.patterns() == [SUBFOLDER], timeout=10_000)
    assert _in_trip(_browsed(qtbot, controller, 5)) == []
    found = _searched(qtbot, controller)
    assert found and _in_trip(found) == []


def test_taking_an_exclusion_back_brings_its_photos_back(make_window, qtbot, tmp_path, demo_photos):
    library, _folder = _library_with_a_subfolder(tmp_path, demo_photos)
    controller, dialog = _open_dialog(make_window, qtbot, library)
    dialog.pattern.setText(SUBFOLDER)
    dialog.add_button.click()
    _browsed(qtbot, controller, 5)

    dialog.list.setCurrentRow(0)
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: dialog.patterns() == [], timeout=10_000)
    assert len(_in_trip(_browsed(qtbot, controller, 8))) == 3
    assert len(_in_trip(_searched(qtbot, controller))) == 3


def test_a_bad_pattern_says_why_and_changes_nothing(make_window, qtbot, tmp_path, demo_photos):
    library, _folder = _library_with_a_subfolder(tmp_path, demo_photos)
    controller, dialog = _open_dialog(make_window, qtbot, library)
    dialog.pattern.setText("..")
    dialog.add_button.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert dialog.error.text() == "not a usable exclusion pattern: '..'"
    assert dialog.patterns() == [] and controller.browse.count == 8

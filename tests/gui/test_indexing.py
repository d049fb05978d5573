"""Adding a folder from the window: progress, then the count; skipped files.

How long the GUI thread blocks meanwhile is a figure: bench.gui and bench.browse measure it."""

from __future__ import annotations

import shutil

from app.gui.session import WATCHING, FolderStatus

from .conftest import BAD_FILE, copy_scenes, open_ready


def test_adding_a_folder_reports_progress_then_the_count_and_skipped_files(
    make_window, qtbot, tmp_path, demo_photos
):
    source, captions = demo_photos
    folder = tmp_path / "holiday"
    shutil.copytree(source, folder)
    window, controller = open_ready(make_window, qtbot, tmp_path / "library")
    seen: list[tuple[int, int]] = []
    signals = controller.folders.signals
    signals.progress.connect(lambda p: seen.append((p.done, p.total)))
    with qtbot.waitSignal(signals.finished, timeout=120_000):
        controller.folders.add_folder(str(folder))
    total = len(captions) + 1
    assert seen and seen[-1] == (total, total)

    expected = [FolderStatus(str(folder), len(captions), WATCHING)]
    qtbot.waitUntil(
        lambda: (
            controller.folders.state is not None
            and controller.folders.state.folders == expected
            and controller.folders.state.photos == len(captions)
        ),
        timeout=10_000,
    )
    assert controller.folders.state.skipped == 1

    # the watcher's first rescan re-checks the folder; ask for the list once it is done
    qtbot.waitUntil(lambda: not controller.folders.indexing.busy, timeout=30_000)
    with qtbot.waitSignal(controller.folders.skipped_loaded, timeout=10_000) as loaded:
        window.folders_panel.skipped_button.click()
    rows = loaded.args[0]
    assert [r.path for r in rows] == [str(folder / BAD_FILE)]
    assert "not an image" in rows[0].reason


def test_the_status_bar_shows_indexing_progress_and_hides_it_when_done(
    make_window, qtbot, tmp_path, demo_photos
):
    folder = copy_scenes(demo_photos, tmp_path / "few", 5)
    window, controller = open_ready(make_window, qtbot, tmp_path / "library")
    shown: list[bool] = []
    controller.folders.signals.progress.connect(
        lambda _p: shown.append(window.status.progress.isVisible())
    )
    with qtbot.waitSignal(controller.folders.signals.finished, timeout=120_000):
        controller.folders.add_folder(str(folder))
    assert shown and all(shown)
    # The watcher's first rescan may briefly show the bar again; it must go away.
    qtbot.waitUntil(lambda: not window.status.progress.isVisible(), timeout=10_000)


def test_remove_folder_empties_the_library(make_window, qtbot, tmp_path, demo_photos):
    folder = copy_scenes(demo_photos, tmp_path / "few", 5)
    _, controller = open_ready(make_window, qtbot, tmp_path / "library")
    with qtbot.waitSignal(controller.folders.signals.finished, timeout=120_000):
        controller.folders.add_folder(str(folder))
    qtbot.waitUntil(lambda: controller.folders.state.photos == 5, timeout=10_000)
    controller.folders.remove_folder(str(folder))
    qtbot.waitUntil(
        lambda: controller.folders.state.folders == [] and controller.folders.state.photos == 0,
        timeout=10_000,
    )


def test_pausing_holds_indexing_until_resumed(make_window, qtbot, tmp_path, demo_photos):
    folder = copy_scenes(demo_photos, tmp_path / "few", 3)
    window, controller = open_ready(make_window, qtbot, tmp_path / "library")
    window.status.pause.click()
    assert controller.folders.paused and controller.folders.indexing.paused
    finished: list[object] = []
    controller.folders.signals.finished.connect(finished.append)
    controller.folders.add_folder(str(folder))
    qtbot.wait(1500)
    assert not finished and controller.session.photo_count() == 0
    with qtbot.waitSignal(controller.folders.signals.finished, timeout=120_000):
        window.status.pause.click()
    assert controller.session.photo_count() == 3

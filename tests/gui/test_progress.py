"""Indexing progress is honest: counts follow what is searchable, pauses do not slow the
rate, and only the folders that changed say "indexing"."""

from __future__ import annotations

import shutil

from app.gui.session import INDEXING, WATCHING

from .conftest import copy_scenes, index_folder


def test_counts_follow_searchable_photos_and_the_rate_leaves_out_paused_time(
    make_window, qtbot, tmp_path, demo_photos
):
    folder = copy_scenes(demo_photos, tmp_path / "photos", 40)
    # no checkpoint during the run: photos are searchable before their rows are indexed
    options = {"batch_size": 8, "checkpoint_every": 100_000, "checkpoint_s": None}
    window = make_window(tmp_path / "library", indexer_options=options)
    controller = window.controller
    folders = controller.folders
    with qtbot.waitSignal(controller.ready, timeout=120_000):
        pass
    seen = []
    folders.signals.progress.connect(seen.append)
    folders.add_folder(str(folder))
    qtbot.waitUntil(lambda: any(p.done >= 16 for p in seen), timeout=60_000)
    window.status.pause.click()  # holds the indexer between photos
    done = seen[-1].done
    folders.refresh()
    qtbot.waitUntil(
        lambda: folders.state.folders and folders.state.folders[0].state == INDEXING,
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: folders.state.photos >= done - 8, timeout=10_000)
    assert folders.state.folders[0].count == folders.state.photos > 0
    qtbot.wait(1500)
    with qtbot.waitSignal(folders.signals.finished, timeout=120_000):
        window.status.pause.click()
    assert seen[-1].done == 40
    assert seen[-1].paused_s >= 1.0  # the rate's clock stopped while paused


def test_on_reopen_only_the_folder_that_changed_is_indexing(
    make_window, qtbot, tmp_path, demo_photos
):
    first = copy_scenes(demo_photos, tmp_path / "first", 4)
    second = copy_scenes(demo_photos, tmp_path / "second", 4, skip=4)
    library = index_folder(tmp_path / "library", first)
    index_folder(library, second)
    shutil.copy(sorted(demo_photos[0].glob("scene_*"))[10], first)  # changed while closed
    window = make_window(library)
    controller = window.controller
    with qtbot.waitSignal(controller.folders.signals.started, timeout=120_000) as started:
        pass
    assert started.args == [frozenset({str(first)})]
    qtbot.waitUntil(lambda: controller.folders.indexing.wait_idle(0) is True, timeout=60_000)
    controller.folders.refresh()
    qtbot.waitUntil(
        lambda: [f.state for f in controller.folders.state.folders] == [WATCHING, WATCHING],
        timeout=10_000,
    )


def test_while_scanning_the_bar_is_busy_not_a_count_of_nothing(make_window, qtbot, tmp_path):
    import time

    from index.pipeline import Progress

    window = make_window(tmp_path / "library")
    with qtbot.waitSignal(window.controller.ready, timeout=120_000):
        pass
    status = window.status
    status.set_progress(None)  # indexing has begun
    status.set_progress(Progress(done=0, total=0, skipped=0, started=time.monotonic()))
    assert status.progress.isVisible() and status.progress.maximum() == 0  # busy
    assert "0 / 1" not in status.progress.text()
    status.set_progress(Progress(done=3, total=40, skipped=0, started=time.monotonic()))
    assert status.progress.text() == "indexing 3 / 40"

"""While the user scrolls the grid, the store's compaction (a whole-index write in another
process) waits, and it runs as soon as they stop: the window keeps the cores."""

from __future__ import annotations

import datetime
import threading

from app.gui.user_activity import QUIET_S

from .conftest import add_offline_rows, open_ready


def test_a_compaction_waits_while_the_user_scrolls_and_runs_when_they_stop(
    make_window, qtbot, tmp_path, own_library
):
    library, _ = own_library
    add_offline_rows(library, tmp_path / "offline", 2_000, datetime.datetime(2020, 1, 1))
    window, controller = open_ready(make_window, qtbot, library)
    bar = window.results_view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=10_000)
    compactor = controller.session.library.store.compactor
    done = threading.Event()
    bar.setValue(1)
    threading.Thread(target=lambda: (compactor.compact(), done.set()), daemon=True).start()
    for step in range(2, 40):  # two seconds of scrolling
        bar.setValue(step * 10 % bar.maximum())
        qtbot.wait(50)
    assert not done.is_set()
    qtbot.waitUntil(done.is_set, timeout=30_000)
    assert compactor.deferred_s[-1] >= 2 * 0.9 + QUIET_S * 0.9

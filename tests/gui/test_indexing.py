"""Adding a folder from the window: progress, then the count; skipped files; no freezes."""

from __future__ import annotations

import shutil
import time

from PySide6.QtCore import QTimer

from tests.gui.conftest import BAD_FILE

PROBE_MS = 10
BLOCKED_BOUND_MS = 500  # generous for shared CI machines; the benchmark reports the real figure


class TimerProbe:
    """Ticks every PROBE_MS on the GUI thread; the largest gap is how long it was blocked."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(self._tick)
        self.last: float | None = None
        self.gaps: list[float] = []

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.last is not None:
            self.gaps.append((now - self.last) * 1000 - PROBE_MS)
        self.last = now

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()


def test_adding_a_folder_shows_progress_then_the_count_and_skipped_files(
    make_window, qtbot, tmp_path, demo_photos
):
    source, captions = demo_photos
    folder = tmp_path / "holiday"
    shutil.copytree(source, folder)
    window = make_window(tmp_path / "library")
    with qtbot.waitSignal(window.ready, timeout=120_000):
        pass
    probe = TimerProbe()
    seen: list[tuple[int, int]] = []
    window.indexing_signals.progress.connect(lambda p: seen.append((p.done, p.total)))
    probe.start()
    with qtbot.waitSignal(window.indexing_signals.finished, timeout=120_000):
        window.add_folder(str(folder))
        qtbot.waitUntil(lambda: window.status.progress.isVisible(), timeout=60_000)
    probe.stop()
    total = len(captions) + 1
    assert seen and seen[-1] == (total, total)
    assert "indexing" in window.status.progress.format()

    qtbot.waitUntil(
        lambda: (
            window.folders_panel.folder_texts() == [f"holiday\n{len(captions)} photos · ✓ watching"]
        ),
        timeout=10_000,
    )
    assert not window.status.progress.isVisible()
    assert window.status.count.text().startswith(f"{len(captions)} photos")

    with qtbot.waitSignal(window.skipped_loaded, timeout=10_000):
        window.folders_panel.skipped_button.click()
    rows = window.skipped_dialog.rows()
    assert [r[0] for r in rows] == [str(folder / BAD_FILE)]
    assert "not an image" in rows[0][1]

    assert len(probe.gaps) > 10
    assert max(probe.gaps) < BLOCKED_BOUND_MS, f"GUI thread blocked {max(probe.gaps):.0f} ms"


def test_remove_folder_empties_the_library(make_window, qtbot, tmp_path, demo_photos):
    source, _ = demo_photos
    folder = tmp_path / "few"
    folder.mkdir()
    for path in sorted(source.glob("scene_*"))[:5]:
        shutil.copy(path, folder)
    window = make_window(tmp_path / "library")
    with qtbot.waitSignal(window.ready, timeout=120_000):
        pass
    with qtbot.waitSignal(window.indexing_signals.finished, timeout=120_000):
        window.add_folder(str(folder))
    qtbot.waitUntil(lambda: window.status.count.text().startswith("5 photos"), timeout=10_000)
    window.remove_folder(str(folder))
    qtbot.waitUntil(lambda: window.folders_panel.folder_texts() == [], timeout=10_000)
    qtbot.waitUntil(lambda: window.status.count.text().startswith("0 photos"), timeout=10_000)

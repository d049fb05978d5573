"""Render the main window with real results and save it as docs/screenshot*.png.

Runs the real application on a real display server: a demo folder (rendered now) and a
copy of ../shared/photos are added through the window, indexed by its background
service, then searched by text ("a red circle", docs/screenshot.png) and by image
("find similar" on a shared photo, docs/screenshot-photos.png), and the full-size viewer
on the second text result (docs/screenshot-viewer.png).

    xvfb-run -a -s "-screen 0 1600x1000x24" python -m bench.screenshot

Without a DISPLAY it re-runs itself under xvfb-run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._common import REPO, SHARED_PHOTOS
from engine.registry import best_demo_model

SIZE = (1360, 820)


def wait_for(app, predicate, timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("screenshot step timed out")
        app.processEvents()
        time.sleep(0.01)


def settle(app, seconds: float = 0.5) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def shoot(model: str, weights: str | None, out_dir: Path, query: str, similar: str) -> None:
    from PySide6.QtWidgets import QApplication

    from app.gui.main_window import GuiOptions, MainWindow
    from app.gui.settings import GuiSettings, use_settings_dir
    from engine.demo.scenes.folder import write_demo_folder

    app = QApplication.instance() or QApplication([])
    app.setApplicationDisplayName("photosearch")
    work = Path(tempfile.mkdtemp(prefix="screenshot-"))
    use_settings_dir(work)
    demo = work / "Demo scenes"
    write_demo_folder(demo, 120, seed=11)
    (demo / "unfinished-download.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    photos = work / "Pictures"
    shutil.copytree(SHARED_PHOTOS, photos, ignore=shutil.ignore_patterns("*.md", "*.csv"))

    window = MainWindow(
        GuiOptions(library=str(work / "library"), model=model, weights=weights),
        GuiSettings(results=24),
    )
    window.resize(*SIZE)
    window.show()
    try:
        ready: list[bool] = []
        window.controller.ready.connect(lambda: ready.append(True))
        wait_for(app, lambda: ready)
        for folder in (demo, photos):
            done: list[object] = []
            window.controller.folders.signals.finished.connect(done.append)
            window.controller.folders.add_folder(str(folder))
            wait_for(app, lambda d=done: d)
            window.controller.folders.signals.finished.disconnect(done.append)
        settle(app, 1.5)

        def search(start) -> None:
            shown: list[object] = []
            window.controller.search.results_changed.connect(shown.append)
            start()
            wait_for(app, lambda: shown)
            window.controller.search.results_changed.disconnect(shown.append)
            wait_for(app, lambda: window.preview.path == window.results_view.current_path())
            settle(app, 0.8)

        search(lambda: window.controller.search.search_text(query))
        save(window, out_dir / "screenshot.png")
        loaded: list[object] = []
        window.controller.search.full_loaded.connect(loaded.append)
        window.viewing.open(1)  # the full-size viewer, as Space opens it
        wait_for(app, lambda: loaded)
        settle(app, 0.8)
        save(window, out_dir / "screenshot-viewer.png")
        window.viewing.close()
        window.search.clear()
        search(lambda: window.controller.search.search_similar(str(photos / similar)))
        save(window, out_dir / "screenshot-photos.png")
    finally:
        window.close()
        shutil.rmtree(work, ignore_errors=True)


def save(window, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        raise SystemExit(f"could not write {path.name}")
    print(f"wrote {path.name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.screenshot")
    parser.add_argument("--model", default=best_demo_model())
    parser.add_argument("--weights", default=None)
    parser.add_argument("--query", default="a red circle")
    parser.add_argument("--similar", default="skimage_chelsea.png", help="a ../shared/photos file")
    parser.add_argument("--out", default=str(REPO / "docs"))
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") and sys.platform.startswith("linux"):
        if shutil.which("xvfb-run") is None:
            raise SystemExit("needs a display: install xvfb (apt-get install xvfb)")
        command = [sys.executable, "-m", "bench.screenshot", *(argv or sys.argv[1:])]
        screen = f"-screen 0 {SIZE[0] + 200}x{SIZE[1] + 200}x24"
        return subprocess.call(["xvfb-run", "-a", "-s", screen, *command], cwd=REPO)
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    shoot(args.model, args.weights, Path(args.out), args.query, args.similar)
    return 0


if __name__ == "__main__":
    sys.exit(main())

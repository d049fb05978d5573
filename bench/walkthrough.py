"""The README's screenshots, taken as a user would see them: the real window on an X
server with a window manager, driven by keystrokes.

A library is indexed through the CLI first (rendered demo scenes and a copy of
../shared/photos, their file times spread over two years so browsing shows month headers);
then ``photosearch gui`` runs under Xvfb (1280x800) with openbox, and xdotool types and
presses keys while ImageMagick's ``import`` takes each picture:

* docs/screenshot-browse.png: the window as it opens, the library newest first by month;
* docs/screenshot.png: a search, where the good matches end (the orange bar, dimmed after);
* docs/screenshot-viewer.png: Down, Space: the first result full size with its details;
* then the same three at the window's minimum size (``screenshot-min-browse.png``,
  ``screenshot-min-search.png``, ``screenshot-min-viewer.png``: the window alone), to
  check that nothing is cut or pushed out at the smallest size a user can choose.

Needs xvfb, openbox, xdotool and imagemagick (apt-get install xvfb openbox xdotool
imagemagick). Usage: ``python -m bench.walkthrough [--query TEXT] [--out docs]``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.gui.main_window import MINIMUM_SIZE
from bench._common import REPO, SHARED_PHOTOS
from engine.registry import best_demo_model

SIZE = (1280, 800)
TOOLS = ("Xvfb", "openbox", "xdotool", "import")


def _library(work: Path, model: str) -> Path:
    from engine.demo.scenes.folder import write_demo_folder

    demo = work / "Demo scenes"
    write_demo_folder(demo, 120, seed=11)
    photos = work / "Pictures"
    shutil.copytree(SHARED_PHOTOS, photos, ignore=shutil.ignore_patterns("*.md", "*.csv"))
    now = datetime.datetime.now()
    files = sorted(photos.iterdir()) + sorted(demo.iterdir())
    for i, path in enumerate(files):  # about six photos a month, back two years
        when = (now - datetime.timedelta(days=5 * i, hours=i % 7)).timestamp()
        os.utime(path, (when, when))
    library = work / "library"
    for folder in (demo, photos):
        _cli(work, "--library", str(library), "--model", model, "index", str(folder))
    return library


def _cli(work: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-m", "app.cli", *args], check=True, env=env, cwd=work)


class Display:
    """Xvfb with openbox on a free display number; closed with the ``with`` block."""

    def __init__(self) -> None:
        self.number = next(n for n in range(90, 140) if not Path(f"/tmp/.X{n}-lock").exists())
        self.name = f":{self.number}"
        self.procs: list[subprocess.Popen] = []

    def __enter__(self) -> Display:
        screen = f"{SIZE[0]}x{SIZE[1]}x24"
        self.procs.append(
            subprocess.Popen(["Xvfb", self.name, "-screen", "0", screen, "-nolisten", "tcp"])
        )
        time.sleep(1.5)
        self.procs.append(subprocess.Popen(["openbox"], env=self.env(), stderr=subprocess.DEVNULL))
        time.sleep(1.0)
        return self

    def env(self) -> dict[str, str]:
        return {**os.environ, "DISPLAY": self.name}

    def __exit__(self, *_exc) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
            proc.wait(10)

    def xdotool(self, *args: str) -> str:
        out = subprocess.run(
            ["xdotool", *args], env=self.env(), capture_output=True, text=True, check=False
        )
        return out.stdout.strip()

    def shoot(self, path: Path, window: str = "root") -> None:
        subprocess.run(
            ["import", "-window", window, "-depth", "8", "-strip", str(path)],
            env=self.env(),
            check=True,
        )
        subprocess.run(  # 8-bit palette: the window's flat colours survive, the file shrinks
            [
                "convert",
                str(path),
                "-colors",
                "256",
                "-define",
                "png:compression-level=9",
                str(path),
            ],
            check=True,
        )
        print(f"wrote {path.name}")


def walk(model: str, query: str, out_dir: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="walkthrough-"))
    try:
        library = _library(work, model)
        with Display() as display:
            env = {
                **display.env(),
                "PYTHONPATH": str(REPO),
                "XDG_CONFIG_HOME": str(work / "config"),  # the user's own settings untouched
                "QT_QPA_PLATFORM": "xcb",
            }
            gui = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "--library", str(library), "gui"],
                env=env,
                cwd=work,
            )
            try:
                window = ""
                deadline = time.monotonic() + 120
                while not window and time.monotonic() < deadline:
                    time.sleep(1)
                    window = display.xdotool("search", "--onlyvisible", "--name", "^photosearch$")
                window = window.splitlines()[0]
                display.xdotool("windowmove", window, "0", "0")
                _steps(display, window, SIZE, query, out_dir, "screenshot{}.png", 12)
                smallest = (MINIMUM_SIZE.width(), MINIMUM_SIZE.height())
                _steps(display, window, smallest, query, out_dir, "screenshot-min{}.png", 3)
            finally:
                gui.terminate()
                gui.wait(60)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _steps(display, window, size, query, out_dir, name, settle_s) -> None:
    """Browse, search ``query``, view the first result; a picture of each (``name``
    formatted with "-browse", "", "-viewer"; at the minimum size "-search" for "")."""
    display.xdotool("windowsize", window, str(size[0]), str(size[1]))
    display.xdotool("windowactivate", "--sync", window)
    time.sleep(settle_s)  # the model loads; thumbnails come in
    small = size != SIZE
    where = window if small else "root"
    display.shoot(out_dir / name.format("-browse"), where)
    display.xdotool("type", "--delay", "60", query)
    time.sleep(6)
    display.shoot(out_dir / name.format("-search" if small else ""), where)
    display.xdotool("key", "Down")
    time.sleep(1)
    display.xdotool("key", "space")
    time.sleep(4)
    display.shoot(out_dir / name.format("-viewer"), where)
    display.xdotool("key", "Escape")  # back to the grid
    time.sleep(1)
    display.xdotool("key", "ctrl+f", "ctrl+a", "BackSpace")  # the query cleared: browsing
    time.sleep(2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.walkthrough")
    parser.add_argument("--model", default=best_demo_model())
    parser.add_argument("--query", default="a red circle")
    parser.add_argument("--out", default=str(REPO / "docs"))
    args = parser.parse_args(argv)
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        raise SystemExit(
            f"needs {', '.join(missing)}: apt-get install xvfb openbox xdotool imagemagick"
        )
    walk(args.model, args.query, Path(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

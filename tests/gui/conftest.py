"""GUI test fixtures: headless Qt, isolated settings, demo photos rendered at test time."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

import datetime
import shutil
import threading
from pathlib import Path

import pytest

from engine.registry import DEMO_MODELS, best_demo_model

DEMO_MODEL = best_demo_model()
DEMO_WEIGHTS = DEMO_MODELS[DEMO_MODEL].weights
HAVE_DEMO = DEMO_WEIGHTS.is_file()
# The demo model is trained on the scenes write_demo_folder renders; until its weights
# exist, plumbing tests run on a random ViT-B-32 and semantic tests are skipped.
MODEL = (DEMO_MODEL, None) if HAVE_DEMO else ("ViT-B-32", "random")
needs_demo_model = pytest.mark.skipif(not HAVE_DEMO, reason="demo model weights not built yet")
BAD_FILE = "broken.jpg"


@pytest.fixture(scope="session", autouse=True)
def isolated_trash(tmp_path_factory) -> Path:
    """The system trash of these tests (send2trash reads XDG_DATA_HOME when imported)."""
    data_home = tmp_path_factory.mktemp("xdg-data")
    previous = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = str(data_home)
    yield data_home / "Trash"
    if previous is None:
        os.environ.pop("XDG_DATA_HOME", None)
    else:
        os.environ["XDG_DATA_HOME"] = previous


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory):
    from app.gui.settings import use_settings_dir

    root = tmp_path_factory.mktemp("qsettings")
    use_settings_dir(root)
    yield root
    use_settings_dir(None)


@pytest.fixture(scope="session")
def demo_photos(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """60 held-out demo scenes plus one file that is not an image; path -> caption."""
    from engine.demo.scenes.folder import write_demo_folder

    folder = tmp_path_factory.mktemp("demo-photos")
    rows = write_demo_folder(folder, 60, seed=6)
    (folder / BAD_FILE).write_bytes(b"this is not a JPEG")
    return folder, {str(folder / name): caption for name, caption in rows}


def index_folder(root: Path, folder: Path) -> Path:
    """Index ``folder`` into a library at ``root`` (through the same code the GUI uses)."""
    from app import context
    from app.commands.indexing import add_folder
    from index.scanner import scan

    with context.open_library(str(root), writable=True) as library:
        encoder = context.make_encoder(context.choose_spec(library, *MODEL))
        context.bind(library, encoder)
        row = add_folder(library, str(folder))
        context.make_indexer(library, encoder).apply(scan(library.catalog, [row]))
    return root


@pytest.fixture(scope="session")
def indexed_library(tmp_path_factory, demo_photos) -> Path:
    """A library with the demo folder indexed; tests must not change it."""
    return index_folder(tmp_path_factory.mktemp("library"), demo_photos[0])


def copy_scenes(demo_photos, folder: Path, count: int, skip: int = 0) -> Path:
    """A new folder with ``count`` of the demo scenes (from the ``skip``-th on)."""
    folder.mkdir()
    for path in sorted(demo_photos[0].glob("scene_*"))[skip : skip + count]:
        shutil.copy(path, folder)
    return folder


@pytest.fixture
def own_library(tmp_path, demo_photos) -> tuple[Path, Path]:
    """A library of this test's own: (library, folder of 12 demo photos in it)."""
    folder = copy_scenes(demo_photos, tmp_path / "photos", 12)
    return index_folder(tmp_path / "library", folder), folder


def add_offline_rows(library: Path, folder: Path, count: int, first: datetime.datetime) -> None:
    """``count`` catalog rows of ``folder``, which does not exist (offline, so they are
    kept and never rescanned), taken an hour apart from ``first`` on."""
    from app import context

    with context.open_library(str(library), writable=True) as lib:
        insert_offline_rows(lib.catalog, folder, count, first)


def insert_offline_rows(catalog, folder: Path, count: int, first: datetime.datetime) -> None:
    """``add_offline_rows`` into an open catalog (a window's, as its indexing would)."""
    folder_id = catalog.add_folder(str(folder)).id
    base = int(first.timestamp()) * 1_000_000_000
    with catalog.transaction() as db:
        db.executemany(
            "INSERT INTO photos(path, folder_id, size, mtime_ns, status, updated_at)"
            " VALUES (?, ?, 1, ?, 'indexed', 0)",
            [(f"{folder}/{i}.jpg", folder_id, base + i * 3_600 * 10**9) for i in range(count)],
        )
        db.execute(  # their metadata: the file time as date taken
            "INSERT INTO photo_meta(photo_id, taken, date_source) SELECT id, CAST("
            "strftime('%Y%m%d%H%M%S', mtime_ns / 1e9, 'unixepoch', 'localtime')"
            " AS INTEGER), 'file' FROM photos WHERE folder_id = ?",
            (folder_id,),
        )


def open_ready(make_window, qtbot, library: Path, **options):
    """A window on ``library`` once its model has loaded: (window, controller)."""
    window = make_window(library, **options)
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.controller.ready, timeout=120_000):
        pass
    return window, window.controller


def _our_threads() -> set[str]:
    return {
        t.name
        for t in threading.enumerate()
        if not isinstance(t, threading._DummyThread) and t is not threading.main_thread()
    }


@pytest.fixture
def make_window(qtbot):
    """Open main windows; at teardown close them and check that no thread outlives them."""
    from app.gui.main_window import GuiOptions, MainWindow
    from app.gui.settings import GuiSettings

    before = _our_threads()
    windows: list[MainWindow] = []

    def make(library: Path, **options) -> MainWindow:
        """``model=None``: no model from the command line (the library's or the default)."""
        model, weights = MODEL
        options.setdefault("model", model)
        options.setdefault("weights", weights if options["model"] == model else None)
        window = MainWindow(GuiOptions(library=str(library), **options), GuiSettings.load())
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        assert window.controller.pool.activeThreadCount() == 0
    leaked = _our_threads() - before
    assert not leaked, f"threads left running: {leaked}"


def answer_next_box(button, seen: list[str]) -> None:
    """Answer the next message box with ``button`` as a user would, noting its text."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, click)
            return
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(50, click)

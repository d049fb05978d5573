"""The window searches the text in photos and shows it: the preview lists the recognised
text and outlines the matched words. OpenCV (under the OCR engine) is loaded before the
window, as it is when the window's background indexing reads text: Qt must not mind."""

from __future__ import annotations

import shutil

import pytest
from cli_support import SHARED_PHOTOS, run_cli

from bench.text_photos import render_text_photo

from .conftest import MODEL

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def text_library(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    render_text_photo(folder / "invoice.jpg", ["上海增值税电子普通发票", "金额 128.00"])
    render_text_photo(folder / "gate.jpg", ["Gate 23", "Departures"])
    shutil.copyfile(SHARED_PHOTOS / "skimage_coffee.png", folder / "coffee.png")
    library = tmp_path / "library"
    model, weights = MODEL
    args = ["index", str(folder), "--model", model] + (["--weights", weights] if weights else [])
    proc = run_cli(*args, library=library)
    assert proc.returncode == 0, proc.stderr
    return folder, library


def test_the_preview_shows_the_text_and_outlines_the_match(make_window, qtbot, text_library):
    import cv2  # noqa: F401  (the OCR engine's image library, loaded before Qt's window)
    import rapidocr  # noqa: F401

    folder, library = text_library
    window = make_window(library)
    controller = window.controller
    with qtbot.waitSignal(controller.ready, timeout=120_000):
        pass
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("发票")
    first = controller.search.outcome.items[0]
    assert first.path == str(folder / "invoice.jpg") and "发票" in first.text
    qtbot.waitUntil(lambda: window.preview.path == first.path, timeout=10_000)
    qtbot.waitUntil(lambda: window.preview.highlighted == 1, timeout=10_000)
    shown = window.preview.text_label.text()
    assert "<b>上海增值税电子普通发票</b>" in shown and "128.00" in shown

"""The duplicates window: groups of copies side by side, keep the best, the rest to the trash."""

from __future__ import annotations

import os
import shutil

from PIL import Image
from PySide6.QtWidgets import QLabel, QMessageBox

from .conftest import answer_next_box, index_folder


def _library_with_copies(tmp_path, demo_photos):
    folder = tmp_path / "photos"
    folder.mkdir()
    for path in sorted(demo_photos[0].glob("scene_*"))[:6]:
        shutil.copy(path, folder)
    original = sorted(folder.iterdir())[0]
    image = Image.open(original).convert("RGB")
    image.save(folder / "copy_resaved.jpg", "JPEG", quality=60)
    image.resize((image.width // 2, image.height // 2)).save(folder / "copy_small.png")
    return index_folder(tmp_path / "library", folder), folder, original


def test_keep_best_trashes_the_other_copies_after_asking(
    make_window, qtbot, tmp_path, demo_photos, isolated_trash
):
    library, folder, original = _library_with_copies(tmp_path, demo_photos)
    window = make_window(library)
    controller = window.controller
    with qtbot.waitSignal(controller.ready, timeout=120_000):
        pass
    with qtbot.waitSignal(controller.duplicates.groups_changed, timeout=60_000):
        dialog = window.open_duplicates()
    assert dialog.group_list.count() == 1
    captions = [w.text() for w in dialog.copies.findChildren(QLabel) if "×" in w.text()]
    assert len(captions) == 3 and "Best copy" in captions[0]
    assert original.name in captions[0]
    copies = [str(folder / "copy_resaved.jpg"), str(folder / "copy_small.png")]

    asked: list[str] = []
    answer_next_box(QMessageBox.StandardButton.Cancel, asked)
    dialog.keep_button.click()
    qtbot.waitUntil(lambda: bool(asked), timeout=5_000)
    assert all(os.path.exists(p) for p in copies) and dialog.group_list.count() == 1

    answer_next_box(QMessageBox.StandardButton.Yes, asked)
    with qtbot.waitSignal(controller.toast, timeout=10_000) as toast:
        dialog.keep_button.click()
    assert "2 photos" in toast.args[0]
    assert not any(os.path.exists(p) for p in copies) and original.exists()
    in_trash = {p.name for p in (isolated_trash / "files").iterdir()}  # shared by the tests
    assert {"copy_resaved.jpg", "copy_small.png"} <= in_trash
    assert dialog.group_list.count() == 0
    qtbot.waitUntil(lambda: controller.session.photo_count() == 6, timeout=30_000)

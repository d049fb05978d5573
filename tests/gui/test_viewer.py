"""The full-size viewer: Space opens the selected photo, arrows step, Escape goes back."""

from __future__ import annotations

from PySide6.QtCore import Qt

from .conftest import open_ready


def test_space_opens_the_viewer_arrows_step_and_escape_returns_to_the_same_photo(
    make_window, qtbot, indexed_library
):
    window, controller = open_ready(make_window, qtbot, indexed_library)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a blue square")
    paths = [item.path for item in controller.search.outcome.items]
    view, viewer = window.results_view, window.viewer
    view.setFocus()
    view.setCurrentIndex(window.results_model.index(2))

    with qtbot.waitSignal(controller.search.full_loaded, timeout=30_000):
        qtbot.keyClick(view, Qt.Key.Key_Space)
    assert window.stack.currentWidget() is viewer and viewer.path == paths[2]
    qtbot.waitUntil(lambda: not viewer.image.pixmap().isNull(), timeout=5_000)
    fitted = viewer.image.pixmap().size()
    assert fitted.width() <= viewer.scroll.viewport().width()

    with qtbot.waitSignal(controller.search.full_loaded, timeout=30_000):
        qtbot.keyClick(viewer, Qt.Key.Key_Right)
    assert viewer.path == paths[3]
    qtbot.keyClick(viewer, Qt.Key.Key_Z)  # 100 %: the photo's own pixels
    assert viewer.actual_size and viewer.image.pixmap().size() != fitted

    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is view
    assert view.current_path() == paths[3] and view.hasFocus()


def test_the_viewer_shows_the_photos_exif_summary(make_window, qtbot, tmp_path, demo_photos):
    from PIL import ExifTags, Image

    from app.gui.results_model import PathRole

    from .conftest import copy_scenes, index_folder

    folder = copy_scenes(demo_photos, tmp_path / "photos", 1)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "Canon EOS R5"
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    sub[ExifTags.Base.DateTimeOriginal] = "2024:07:14 10:30:05"
    sub[ExifTags.Base.LensModel] = "RF24-70mm F2.8 L IS USM"
    sub[ExifTags.Base.ExposureTime] = 0.004
    sub[ExifTags.Base.FNumber] = 2.8
    sub[ExifTags.Base.ISOSpeedRatings] = 400
    with Image.open(next(folder.iterdir())) as image:
        image.convert("RGB").save(folder / "camera.jpg", exif=exif)
    window, controller = open_ready(make_window, qtbot, index_folder(tmp_path / "lib", folder))
    model = controller.browse.model
    qtbot.waitUntil(
        lambda: model.rowCount() == 2 and model.index(1).data(PathRole) is not None,
        timeout=10_000,
    )
    row = [model.index(r).data(PathRole) for r in range(2)].index(str(folder / "camera.jpg"))
    with qtbot.waitSignal(controller.search.full_loaded, timeout=30_000):
        window.viewing.open(row)  # as Space or a double-click opens it
    details = window.viewer.details.full_text()
    for part in ("2024-07-14 10:30", "Canon EOS R5", "RF24-70mm F2.8 L IS USM", "1/250 s", "f/2.8"):
        assert part in details
    assert "ISO 400" in details

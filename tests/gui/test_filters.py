"""The filter bar, date order and the preview's date, place and camera (issue 17), on
photos whose EXIF the test writes (date taken, camera, GPS)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

from app.gui.browse_model import month_title
from app.gui.results_model import PathRole
from app.photos import DATE

from .conftest import index_folder, open_ready

PARIS, SYDNEY = (48.8566, 2.3522), (-33.8688, 151.2093)
PIXEL, CANON = ("Google", "Pixel 8"), ("Canon", "Canon EOS R5")


def _dms(value: float) -> tuple:
    value = abs(value)
    d, m = int(value), int((abs(value) - int(value)) * 60)
    return IFDRational(d, 1), IFDRational(m, 1), IFDRational(0, 1)


def _photo(source: Path, target: Path, taken: str, camera: tuple, gps: tuple) -> Path:
    exif = Image.Exif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = camera
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    lat, lon = gps
    gps_ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps_ifd.update({1: "N" if lat >= 0 else "S", 2: _dms(lat), 3: "E" if lon >= 0 else "W"})
    gps_ifd[4] = _dms(lon)
    with Image.open(source) as image:
        image.convert("RGB").save(target, exif=exif)
    return target


@pytest.fixture
def dated_library(tmp_path, demo_photos) -> tuple[Path, dict[str, str]]:
    """Three photos: Paris July 2024 (Pixel), Sydney February 2024 (Pixel), Paris May
    2023 (Canon)."""
    folder = tmp_path / "photos"
    folder.mkdir()
    scenes = sorted(demo_photos[0].glob("scene_*"))
    made = {
        "paris": _photo(scenes[0], folder / "paris.jpg", "2024:07:14 10:00:00", PIXEL, PARIS),
        "sydney": _photo(scenes[1], folder / "sydney.jpg", "2024:02:03 09:30:00", PIXEL, SYDNEY),
        "old": _photo(scenes[2], folder / "old.jpg", "2023:05:01 12:00:00", CANON, PARIS),
    }
    return index_folder(tmp_path / "lib", folder), {k: str(v) for k, v in made.items()}


def _browsed(controller) -> list[str]:
    model = controller.browse.model
    return [model.index(r).data(PathRole) for r in range(model.rowCount())]


def test_the_filter_bar_filters_browsing_and_search_and_its_chips_clear(
    make_window, qtbot, dated_library
):
    library, photos = dated_library
    window, controller = open_ready(make_window, qtbot, library)
    model = controller.browse.model
    qtbot.waitUntil(lambda: None not in _browsed(controller) and model.rowCount() == 3)
    assert _browsed(controller) == [photos["paris"], photos["sydney"], photos["old"]]
    assert window.results_view.header_titles() == [
        month_title(2024, 7),
        month_title(2024, 2),
        month_title(2023, 5),
    ]
    bar = window.filter_bar
    bar.camera.setText("Pixel")
    with qtbot.waitSignal(controller.browse.changed, timeout=10_000):
        bar.camera.editingFinished.emit()
    bar.after.setText("2024-03")
    with qtbot.waitSignal(controller.browse.changed, timeout=10_000):
        bar.after.editingFinished.emit()
    qtbot.waitUntil(lambda: None not in _browsed(controller))
    assert _browsed(controller) == [photos["paris"]]
    chips = [bar.chips.itemAt(i).widget() for i in range(bar.chips.count())]
    texts = [chip.text() for chip in chips if chip is not None]
    assert any("Pixel" in t for t in texts) and any("2024-03" in t for t in texts)

    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a photo")
    assert [i.path for i in controller.search.outcome.items] == [photos["paris"]]

    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        bar.findChild(type(chips[0]), "chip-after").click()  # clear "from 2024-03"
    assert sorted(i.path for i in controller.search.outcome.items) == sorted(
        [photos["paris"], photos["sydney"]]
    )
    bar.place.setText("Paris")
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        bar.place.editingFinished.emit()
    assert [i.path for i in controller.search.outcome.items] == [photos["paris"]]

    bar.after.setText("not a date")
    with qtbot.waitSignal(controller.message, timeout=5_000) as shown:
        bar.after.editingFinished.emit()
    assert "not a date" in shown.args[0] and controller.filters.filter.after is None
    bar.after.setText("2024-06")
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        bar.after.editingFinished.emit()
    bar.before.setText("2024-01")  # before "from": the window names its boxes
    with qtbot.waitSignal(controller.message, timeout=5_000) as shown:
        bar.before.editingFinished.emit()
    assert shown.args[0] == "“From” must be earlier than “Before”"
    assert controller.filters.filter.before is None

    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.filters.clear()  # "Clear filters"
    assert len(controller.search.outcome.items) == 3
    assert not bar.chip_row.isVisibleTo(window)


def test_date_order_groups_results_under_month_headers_and_the_preview_says_where(
    make_window, qtbot, dated_library
):
    library, photos = dated_library
    window, controller = open_ready(make_window, qtbot, library)
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a photo")
    sort = window.filter_bar.sort
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000) as changed:
        sort.setCurrentIndex(sort.findData(DATE))
        sort.activated.emit(sort.currentIndex())
    assert changed.args[0].request.sort == DATE
    assert [i.path for i in changed.args[0].items] == [
        photos["paris"],
        photos["sydney"],
        photos["old"],
    ]
    assert window.results_view.header_titles() == [
        month_title(2024, 7),
        month_title(2024, 2),
        month_title(2023, 5),
    ]

    window.results_view.setCurrentIndex(window.results_model.index(2, 0))
    qtbot.waitUntil(lambda: window.preview.path == photos["old"], timeout=30_000)
    caption = window.preview.caption.text()
    assert "2023-05-01" in caption and "Paris" in caption and "Canon EOS R5" in caption

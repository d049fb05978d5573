"""The facts a decoder reads from each format's EXIF, in the same open as the pixels."""

from __future__ import annotations

import pytest
from photo_files import write_photo

from engine.images import FACTS_KEY, load_image

FORMATS = [".jpg", ".png", ".webp", ".tif", ".heic"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_date_offset_camera_and_position_are_read_from_every_format(tmp_path, suffix):
    path = write_photo(
        tmp_path / f"photo{suffix}",
        taken="2024:07:14 10:00:00",
        offset="-03:00",
        camera=("Google", "Pixel 8"),
        gps=(-22.9068, -43.1729),  # Rio de Janeiro: south and west
    )
    facts = load_image(path, 64).info[FACTS_KEY]
    assert facts["taken"] == "2024-07-14 10:00:00" and facts["offset"] == "-03:00"
    assert (facts["make"], facts["model"]) == ("Google", "Pixel 8")
    assert (facts["width"], facts["height"]) == (96, 64)
    if suffix == ".tif":
        return  # the test cannot write a TIFF's GPS IFD (photo_files.write_photo)
    assert facts["lat"] == pytest.approx(-22.9068, abs=1e-4)
    assert facts["lon"] == pytest.approx(-43.1729, abs=1e-4)


def test_a_quarter_turned_photo_says_so_and_keeps_its_stored_size(tmp_path):
    path = write_photo(tmp_path / "turned.jpg", orientation=6)
    image = load_image(path)
    assert image.size == (64, 96)  # upright
    facts = image.info[FACTS_KEY]
    assert facts["rotated"] is True and (facts["width"], facts["height"]) == (96, 64)


def test_placeholder_dates_and_a_zero_position_are_no_facts(tmp_path):
    path = write_photo(tmp_path / "blank.jpg", taken="0000:00:00 00:00:00", gps=(0.0, 0.0))
    facts = load_image(path).info[FACTS_KEY]
    assert "taken" not in facts and "lat" not in facts

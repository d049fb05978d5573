"""Metadata, filters and date order through the real CLI, on photos with real EXIF."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from cli_support import run_cli, run_json
from photo_files import write_dng, write_photo

RANDOM_VIT = ("--model", "ViT-B-32", "--weights", "random")
PARIS, SYDNEY, NEW_YORK = (48.8566, 2.3522), (-33.8688, 151.2093), (40.7128, -74.0060)


def names(results: list[dict]) -> list[str]:
    return [Path(r["path"]).name for r in results]


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("meta")
    photos = base / "photos"
    pixel = ("Google", "Pixel 8")
    write_photo(
        photos / "paris.jpg", taken="2024:07:14 10:00:00", offset="+02:00", camera=pixel, gps=PARIS
    )
    write_photo(photos / "paris_2023.jpg", taken="2023:05:01 12:00:00", camera=pixel, gps=PARIS)
    write_photo(
        photos / "sydney.jpg",
        taken="2024:02:03 09:30:00",
        camera=("Canon", "Canon EOS R5"),
        gps=SYDNEY,
        orientation=6,
    )
    write_photo(
        photos / "trip" / "new_york.webp", taken="2024:03:10 18:00:00", camera=pixel, gps=NEW_YORK
    )
    write_photo(photos / "scan.png", size=(300, 200))
    write_photo(photos / "@eaDir" / "paris_thumb.jpg", taken="2024:07:14 10:00:00", gps=PARIS)
    write_photo(photos / "cache" / "previews" / "p.jpg", taken="2024:07:14 10:00:00", gps=PARIS)
    write_dng(
        photos / "raw" / "IMG_0001.dng", taken="2024:08:01 07:00:00", camera=("Canon", "EOS R6")
    )
    write_dng(
        photos / "raw" / "IMG_0002.dng", taken="2024:08:02 07:00:00", camera=("Canon", "EOS R6")
    )
    write_photo(
        photos / "raw" / "IMG_0002.jpg", taken="2024:08:02 07:00:00", camera=("Canon", "EOS R6")
    )
    lib = base / "library"
    proc = run_cli(
        "index",
        str(photos),
        "--exclude",
        "@eaDir",
        "--exclude",
        "cache/previews",
        *RANDOM_VIT,
        library=lib,
    )
    assert proc.returncode == 0, proc.stderr
    assert "8 new" in proc.stdout
    return photos, lib


def test_search_with_date_and_place_returns_only_photos_taken_there_then(library):
    _, lib = library
    results = run_json("search", "a photo", "--after", "2024-01", "--place", "Paris", library=lib)
    assert names(results) == ["paris.jpg"]
    meta = results[0]["meta"]
    assert meta["taken"] == "2024-07-14T10:00:00+02:00" and meta["date_source"] == "exif"
    assert meta["place"] == "Paris, Île-de-France, France"
    assert meta["camera"] == "Google Pixel 8"


def test_list_by_camera_is_in_date_order_newest_first(library):
    _, lib = library
    proc = run_cli("list", "--camera", "Pixel", library=lib)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert [line.split()[2] for line in lines] == [
        str(library[0] / "paris.jpg"),
        str(library[0] / "trip" / "new_york.webp"),
        str(library[0] / "paris_2023.jpg"),
    ]
    assert lines[0].startswith("2024-07-14 10:00")


def test_list_json_gives_each_photo_and_its_metadata_but_no_ranking(library):
    _, lib = library
    listed = run_json("list", "--camera", "Pixel", library=lib)
    assert [set(entry) for entry in listed] == [{"path", "meta"}] * 3


def test_places_resolve_offline_in_every_hemisphere(library):
    _, lib = library
    places = {Path(r["path"]).name: r["meta"]["place"] for r in run_json("list", library=lib)}
    assert places["sydney.jpg"] == "Sydney, New South Wales, Australia"
    assert places["new_york.webp"].startswith("New York")
    assert places["scan.png"] is None


def test_a_photo_without_a_date_is_dated_by_its_file_time_and_says_so(library):
    photos, lib = library
    (entry,) = [r for r in run_json("list", "--type", "png", library=lib)]
    assert entry["meta"]["date_source"] == "file"
    stamp = os.stat(photos / "scan.png").st_mtime
    from datetime import datetime

    assert entry["meta"]["taken"] == datetime.fromtimestamp(int(stamp)).isoformat()


def test_a_dng_is_indexed_with_its_exif_and_found(library):
    _, lib = library
    results = run_json("search", "a photo", "--type", "dng", "-k", "5", library=lib)
    assert sorted(names(results)) == ["IMG_0001.dng", "IMG_0002.dng"]
    meta = next(r["meta"] for r in results if r["path"].endswith("IMG_0001.dng"))
    assert meta["camera"] == "Canon EOS R6" and meta["taken"] == "2024-08-01T07:00:00"
    assert (meta["width"], meta["height"], meta["type"]) == (320, 240, "dng")


def test_a_raw_and_its_jpeg_twin_are_one_result(library):
    _, lib = library
    results = run_json("search", "a photo", "-k", "20", library=lib)
    twins = [n for n in names(results) if n.startswith("IMG_0002")]
    assert len(twins) == 1
    assert len(results) == 7  # 8 photos, one shot twice


def test_excluded_subfolders_stay_out(library):
    _, lib = library
    listed = names(run_json("list", "--limit", "0", library=lib))
    assert "paris_thumb.jpg" not in listed and "p.jpg" not in listed
    status = run_json("status", library=lib)
    assert status["photos"] == 8


def test_orientation_and_size_filters_use_the_upright_photo(library):
    _, lib = library
    assert names(run_json("list", "--orientation", "portrait", library=lib)) == ["sydney.jpg"]
    assert sorted(names(run_json("list", "--min-size", "200", library=lib))) == [
        "IMG_0001.dng",
        "IMG_0002.dng",
        "scan.png",
    ]


def test_folder_filter_and_date_range(library):
    photos, lib = library
    got = run_json("list", "--folder", str(photos / "trip"), library=lib)
    assert names(got) == ["new_york.webp"]
    got = run_json("list", "--after", "2024-02", "--before", "2024-07", library=lib)
    assert names(got) == ["new_york.webp", "sydney.jpg"]


def test_search_sorted_by_date(library):
    _, lib = library
    got = run_json("search", "a photo", "--camera", "Pixel", "--sort", "date", library=lib)
    assert names(got) == ["paris.jpg", "new_york.webp", "paris_2023.jpg"]


@pytest.mark.parametrize(
    "args, message",
    [
        (("--after", "2024-13"), "no such date: '2024-13'"),
        (("--before", "last summer"), "not a date: 'last summer'"),
        (("--type", "bogus"), "unknown file type: 'bogus'"),
        (("--orientation", "sideways"), "unknown orientation: 'sideways'"),
        (("--min-size", "big"), "not a size: 'big'"),
        (("--after", "2024-06", "--before", "2024-01"), "--after must be earlier than --before"),
    ],
)
def test_bad_filter_values_get_one_line(library, args, message):
    _, lib = library
    proc = run_cli("list", *args, library=lib)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith(f"photosearch: error: {message}")


def test_a_library_from_before_metadata_migrates_without_re_encoding(tmp_path):
    photos, lib = tmp_path / "photos", tmp_path / "library"
    write_photo(photos / "paris.jpg", taken="2024:07:14 10:00:00", gps=PARIS)
    write_photo(photos / "new_york.jpg", taken="2024:03:10 18:00:00", gps=NEW_YORK)
    assert run_cli("index", str(photos), *RANDOM_VIT, library=lib).returncode == 0
    db = sqlite3.connect(lib / "catalog.sqlite3")  # back to the schema before metadata
    db.executescript(
        "DROP TABLE photo_meta; ALTER TABLE folders DROP COLUMN exclude;"
        " UPDATE meta SET value = '5' WHERE key = 'schema_version';"
    )
    db.close()
    vectors = (lib / "vectors.hnsw").read_bytes()
    assert run_json("list", "--place", "Paris", library=lib) == []  # nothing known yet
    proc = run_cli("reindex", *RANDOM_VIT, library=lib)
    assert proc.returncode == 0, proc.stderr
    assert "0 new, 0 updated" in proc.stdout
    assert (lib / "vectors.hnsw").read_bytes() == vectors  # not one vector re-encoded
    assert names(run_json("list", "--place", "Paris", library=lib)) == ["paris.jpg"]
    (entry,) = run_json("list", "--before", "2024-04", library=lib)
    assert entry["meta"]["place"].startswith("New York")

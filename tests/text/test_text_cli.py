"""Text in photos through the real CLI: real OCR on rendered photos, real library, demo CLIP."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from cli_support import SHARED_PHOTOS, run_cli, run_json

from bench.text_photos import render_text_photo

pytestmark = pytest.mark.timeout(600)
GBK_NAME = "/登机牌.jpg".encode("gbk")  # a name from an older system, not UTF-8
NO_TEXT_PHOTOS = ("skimage_coffee.png", "skimage_chelsea.png", "skimage_astronaut.png")


def _folder(root: Path) -> Path:
    folder = root / "photos"
    folder.mkdir(parents=True)
    render_text_photo(folder / "invoice.jpg", ["上海增值税电子普通发票", "金额 128.00"])
    render_text_photo(folder / "gate23.jpg", ["Gate 23", "Departures 14:05"])
    render_text_photo(folder / "gate2.jpg", ["Gate 2", "Arrivals"])
    render_text_photo(folder / "router.jpg", ["WiFi password", "tiger-2048"])
    render_text_photo(Path(os.fsdecode(bytes(folder) + GBK_NAME)), ["Boarding pass", "Seat 14C"])
    for name in NO_TEXT_PHOTOS:
        shutil.copyfile(SHARED_PHOTOS / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    root = tmp_path_factory.mktemp("text")
    folder, library = _folder(root), root / "library"
    proc = run_cli("index", str(folder), "--model", "demo", library=library)
    assert proc.returncode == 0, proc.stderr
    return folder, library, proc


def test_a_chinese_term_finds_its_photo_at_rank_1(indexed):
    folder, library, _ = indexed
    results = run_json("search", "发票", library=library)
    assert results[0]["path"] == str(folder / "invoice.jpg")
    assert "发票" in results[0]["text"]


def test_english_words_find_their_photo_at_rank_1(indexed):
    folder, library, _ = indexed
    results = run_json("search", "wifi password", library=library)
    assert results[0]["path"] == str(folder / "router.jpg")
    assert "password" in results[0]["text"].lower()


def test_a_quoted_phrase_keeps_only_photos_that_contain_it(indexed):
    folder, library, _ = indexed
    results = run_json("search", '"Gate 23"', library=library)
    assert [r["path"] for r in results] == [str(folder / "gate23.jpg")]
    assert results[0]["text"] == "Gate 23"


def test_full_width_and_case_match(indexed):
    folder, library, _ = indexed
    results = run_json("search", "ＧＡＴＥ　２３", "--text-only", library=library)
    assert results[0]["path"] == str(folder / "gate23.jpg")


def test_text_only_leaves_out_photos_without_matching_text(indexed):
    folder, library, _ = indexed
    results = run_json("search", "departures", "--text-only", library=library)
    assert [r["path"] for r in results] == [str(folder / "gate23.jpg")]


def test_a_filter_keeps_photos_found_by_their_text_out_when_they_do_not_pass(indexed):
    folder, library, _ = indexed
    gates = run_json("search", "gate", "--text-only", library=library)
    assert {Path(r["path"]).name for r in gates} == {"gate23.jpg", "gate2.jpg"}
    assert run_json("search", "gate", "--text-only", "--type", "png", library=library) == []


def test_a_photo_whose_name_is_not_utf8_has_its_text_read(indexed):
    _, library, _ = indexed
    results = run_json("search", "boarding pass", "--text-only", library=library)
    gbk_name = "".join(f"\\x{byte:02x}" for byte in "登机牌".encode("gbk")) + ".jpg'"
    assert results[0]["path_shell"].endswith(gbk_name)
    assert "boarding" in results[0]["text"].lower()


def test_status_shows_the_text_pass_apart_from_the_vector_pass(indexed):
    _, library, _ = indexed
    status = run_json("status", library=library)
    assert status["photos"] == 8
    assert status["text"]["available"] is True
    assert status["text"]["read"] == 8 and status["text"]["pending"] == 0
    assert status["text"]["with_text"] >= 5


def test_a_moved_photo_keeps_its_text_without_being_read_again(tmp_path):
    folder, library = _folder(tmp_path), tmp_path / "library"
    assert run_cli("index", str(folder), "--model", "demo", library=library).returncode == 0
    os.makedirs(folder / "trips")
    os.rename(folder / "gate23.jpg", folder / "trips" / "boarding.jpg")
    proc = run_cli("reindex", library=library)
    assert proc.returncode == 0, proc.stderr
    assert "1 moved" in proc.stdout
    assert "text: 0 photos read" in proc.stdout  # nothing was OCR'd again
    results = run_json("search", '"Gate 23"', library=library)
    assert [r["path"] for r in results] == [str(folder / "trips" / "boarding.jpg")]

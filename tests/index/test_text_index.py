"""The text index in the catalog: schema upgrade, matching rules, pruning."""

from __future__ import annotations

import sqlite3

from index.catalog import Catalog
from index.migrations import LATEST
from index.text_index import StoredLine, TextIndex


def _line(text: str) -> StoredLine:
    return StoredLine(text, 0.9, (0.1, 0.1, 0.5, 0.1, 0.5, 0.2, 0.1, 0.2))


def test_a_schema_1_catalog_is_upgraded_and_keeps_its_photos(tmp_path):
    path = tmp_path / "catalog.sqlite3"
    db = sqlite3.connect(path)  # the version 1 layout, as older photosearch wrote it
    db.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('schema_version', '1');"
        "CREATE TABLE folders (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE,"
        " added_at REAL NOT NULL);"
        "INSERT INTO folders VALUES (1, '/photos', 0);"
    )
    db.close()
    catalog = Catalog(path)
    assert catalog.get_meta("schema_version") == str(LATEST)
    assert TextIndex(catalog).ready
    assert [f.path for f in catalog.folders()] == ["/photos"]


def test_matching_ignores_width_case_and_spacing_and_finds_short_chinese_terms(tmp_path):
    index = TextIndex(Catalog(tmp_path / "c.sqlite3"))
    index.save("h1", "e", [_line("增值税电子普通发票"), _line("ＧＡＴＥ ２３")])
    index.save("h2", "e", [_line("Gate 2"), _line("Arrivals")])
    assert [m.hash for m in index.match([], ["发票"])] == ["h1"]  # 2 characters: instr
    assert [m.hash for m in index.match([], ["电子普通"])] == ["h1"]  # a substring
    assert [m.hash for m in index.match(["gate23"], [])] == ["h1"]
    assert [m.hash for m in index.match(["gate2"], [])] == ["h2"]  # a phrase ends a word
    assert index.match([], ["ate"]) == []  # a Latin term starts a word
    assert index.match(["gate23"], [])[0].snippet == "ＧＡＴＥ ２３"


def test_text_of_deleted_photos_is_pruned(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    index = TextIndex(catalog)
    index.save("gone", "e", [_line("Exit")])
    assert index.prune() == 1
    assert index.match([], ["exit"]) == []


class _BrokenReader:
    engine_id = "broken"

    def __init__(self) -> None:
        self.calls = 0

    def read(self, path: str):
        self.calls += 1
        raise ValueError("the engine cannot handle this photo")


def test_a_photo_the_engine_cannot_read_is_not_read_again_each_pass(library, tmp_path):
    from index_support import pil_decode, write_photo

    from index.folders import add_folder
    from index.pipeline import Indexer
    from index.scanner import scan
    from index.text_pass import TextPass

    write_photo(tmp_path / "photos" / "a.jpg", seed=1)
    row = add_folder(library, str(tmp_path / "photos"))
    Indexer(library, library.encoder, pil_decode).apply(scan(library.catalog, [row]))
    reader = _BrokenReader()
    assert TextPass(library, reader).run().failed == 1
    assert TextPass(library, reader).run().failed == 0
    assert reader.calls == 1


def test_photos_of_an_offline_folder_wait_for_it_unread_and_not_failed(library, tmp_path):
    from index_support import pil_decode, write_photo

    from bench.text_photos import render_text_photo
    from engine.ocr import TextReader
    from index.folders import add_folder
    from index.pipeline import Indexer
    from index.scanner import scan
    from index.text_pass import TextPass

    drive = tmp_path / "drive"  # a removable drive's mount point
    (drive / "photos").mkdir(parents=True)
    render_text_photo(drive / "photos" / "sign.jpg", ["Gate 23"], size=(640, 480))
    write_photo(drive / "photos" / "plain.jpg", seed=2)
    row = add_folder(library, str(drive / "photos"))
    Indexer(library, library.encoder, pil_decode).apply(scan(library.catalog, [row]))
    drive.rename(tmp_path / "unplugged")
    reader = TextReader()
    offline = TextPass(library, reader)
    assert (offline.pending(), offline.run().failed) == (0, 0)
    (tmp_path / "unplugged").rename(drive)  # plugged in again
    back = TextPass(library, reader).run()
    assert (back.read, back.failed) == (2, 0)

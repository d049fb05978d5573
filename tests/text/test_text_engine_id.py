"""A library remembers the installed OCR engine's id beside the package files it came from,
so a rescan reads no package metadata; any other files mean it is read again."""

from __future__ import annotations

import json

import pytest

from app.text_engine_id import META_KEY, installed_engine_id
from engine.ocr_engine import engine_id, installed_files, unavailable_reason
from index.library import Library

pytestmark = pytest.mark.skipif(unavailable_reason() is not None, reason="no OCR engine here")


def test_the_remembered_id_is_used_while_the_files_are_unchanged(tmp_path):
    with Library(tmp_path / "library") as library:
        assert installed_engine_id(library.catalog) == engine_id()
        remembered = {"files": installed_files(), "id": "remembered-id"}
        library.catalog.set_meta(META_KEY, json.dumps(remembered))

        assert installed_engine_id(library.catalog) == "remembered-id"


def test_other_files_mean_the_id_is_read_again(tmp_path):
    with Library(tmp_path / "library") as library:
        files = installed_files()
        files[1][2] += 1  # rapidocr's file has another time: installed again or upgraded
        library.catalog.set_meta(META_KEY, json.dumps({"files": files, "id": "stale-id"}))

        assert installed_engine_id(library.catalog) == engine_id()
        assert json.loads(library.catalog.get_meta(META_KEY))["files"] == installed_files()

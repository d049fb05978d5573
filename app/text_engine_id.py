"""The installed OCR engine's id (:func:`engine.ocr_engine.engine_id`) for a command that only
asks whether a photo's text is unread. Reading it from the packages' metadata costs a rescan
with nothing to do about a fifth of its run, so a library remembers it beside the installed
files it came from and reads it again only when they change."""

from __future__ import annotations

import json

from engine.ocr_engine import engine_id, installed_files
from index.catalog import Catalog, CatalogError

META_KEY = "ocr_engine_id"


def installed_engine_id(catalog: Catalog) -> str | None:
    """None when the OCR engine is not installed."""
    files = installed_files()
    if files is None:
        return None
    try:
        saved = json.loads(catalog.get_meta(META_KEY) or "{}")
    except ValueError:
        saved = {}
    if saved.get("files") == files and isinstance(saved.get("id"), str):
        return saved["id"]
    engine = engine_id()
    try:
        catalog.set_meta(META_KEY, json.dumps({"files": files, "id": engine}))
    except CatalogError:  # a read-only library: read again next time
        pass
    return engine

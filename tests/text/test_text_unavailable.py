"""Where the OCR engine cannot be imported, photosearch still indexes and searches by
content and says once, in one line, why text search is unavailable."""

from __future__ import annotations

import os

import pytest
from cli_support import run_cli, run_json

pytestmark = pytest.mark.timeout(300)


def _without_ocr(tmp_path) -> dict:
    """A PYTHONPATH on which `import rapidocr` fails as on a Python it does not install on."""
    shadow = tmp_path / "no_ocr"
    shadow.mkdir()
    (shadow / "rapidocr.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'rapidocr'\", name='rapidocr')\n"
    )
    return {"PYTHONPATH": os.pathsep.join([str(shadow), os.environ.get("PYTHONPATH", "")])}


def test_indexing_and_search_work_and_the_reason_is_shown_once(photos_dir, tmp_path):
    env, library = _without_ocr(tmp_path), tmp_path / "library"
    proc = run_cli("index", str(photos_dir), "--model", "demo", library=library, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "18 new" in proc.stdout
    notes = [line for line in proc.stderr.splitlines() if "text-in-photo search" in line]
    assert len(notes) == 1 and "unavailable" in notes[0] and "rapidocr" in notes[0]
    results = run_json("search", "a cat", library=library, env=env)
    assert len(results) == 10 and all("text" not in r for r in results)
    status = run_json("status", library=library, env=env)
    assert status["text"]["available"] is False and "rapidocr" in status["text"]["reason"]

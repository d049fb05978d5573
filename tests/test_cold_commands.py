"""Commands that encode nothing start without the model code (torch, open_clip): they answer
in a fraction of a second instead of the seconds an import of torch takes."""

from __future__ import annotations

from cli_support import imported, run_cli, run_json

MODEL_CODE = {"torch", "open_clip"}
IMPORT_TIMES = {"PYTHONPROFILEIMPORTTIME": "1"}


def test_a_rescan_with_nothing_to_encode_applies_deletions_without_the_model(tmp_path, photos_dir):
    library = tmp_path / "library"
    assert run_cli("index", str(photos_dir), "--model", "demo", library=library).returncode == 0
    (photos_dir / "skimage_chelsea.png").unlink()

    proc = run_cli("reindex", library=library, env=IMPORT_TIMES)

    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "0 new, 0 updated, 0 moved, 1 removed" in proc.stdout
    assert not imported(proc.stderr) & MODEL_CODE
    assert run_json("status", library=library)["photos"] == 17


def test_status_and_list_start_without_the_model(tmp_path, photos_dir):
    library = tmp_path / "library"
    assert run_cli("index", str(photos_dir), "--model", "demo", library=library).returncode == 0

    for command in (("status",), ("list", "--limit", "3")):
        proc = run_cli(*command, library=library, env=IMPORT_TIMES)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert not imported(proc.stderr) & MODEL_CODE, command


def test_status_reports_the_text_search_without_loading_the_ocr_runtime(tmp_path, photos_dir):
    library = tmp_path / "library"
    assert run_cli("index", str(photos_dir), "--model", "demo", library=library).returncode == 0

    proc = run_cli("status", library=library, env=IMPORT_TIMES)

    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "text:     18 photos read" in proc.stdout
    assert "onnxruntime" not in imported(proc.stderr)


def test_a_rescan_with_nothing_changed_loads_neither_the_store_nor_the_ocr_engine(
    tmp_path, photos_dir
):
    library = tmp_path / "library"
    assert run_cli("index", str(photos_dir), "--model", "demo", library=library).returncode == 0

    proc = run_cli("reindex", library=library, env=IMPORT_TIMES)

    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "0 new, 0 updated, 0 moved, 0 removed, 0 skipped" in proc.stdout
    assert "text: 0 photos read" in proc.stdout
    assert not imported(proc.stderr) & {"numpy", "hnswlib", "onnxruntime", "PIL"}

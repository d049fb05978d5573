"""The core CLI end to end on real photos, with random weights (no semantics needed)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import REPO, copy_shared_photos, run_cli, run_json

RANDOM_VIT = ("--model", "ViT-B-32", "--weights", "random")


@pytest.fixture(scope="module")
def indexed(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("core")
    photos = copy_shared_photos(base / "photos")
    library = base / "library"
    proc = run_cli("index", str(photos), *RANDOM_VIT, library=library)
    assert proc.returncode == 0, proc.stderr
    assert "18 new, 0 updated, 0 moved, 0 removed, 0 skipped" in proc.stdout
    assert "indexing" in proc.stderr  # the progress bar
    return photos, library


def test_status_counts_photos_and_remembers_folder_and_model(indexed):
    photos, library = indexed
    status = run_json("status", library=library)
    assert status["photos"] == 18
    assert [f["path"] for f in status["folders"]] == [str(photos)]
    assert status["model"] == "ViT-B-32"
    assert status["skipped"] == 0 and status["skipped_files"] == []


def test_image_search_returns_the_photo_itself_first(indexed):
    photos, library = indexed
    results = run_json(
        "search", "--image", str(photos / "skimage_chelsea.png"), "-k", "3", library=library
    )
    assert [set(r) for r in results] == [{"rank", "score", "path", "good", "meta"}] * 3
    assert results[0]["path"] == str(photos / "skimage_chelsea.png")
    assert results[0]["score"] == pytest.approx(1.0, abs=1e-4)
    assert [r["rank"] for r in results] == [1, 2, 3]
    assert results[0]["score"] >= results[1]["score"] >= results[2]["score"]


def test_text_search_ranks_k_results(indexed):
    _, library = indexed
    results = run_json("search", "a cat on a sofa", "-k", "5", library=library)
    assert len(results) == 5
    assert len({r["path"] for r in results}) == 5


def test_other_model_is_refused_with_how_to_reencode(indexed):
    _, library = indexed
    proc = run_cli("search", "a cat", "--model", "RN50", "--weights", "random", library=library)
    assert proc.returncode == 1
    assert "reindex --full --model RN50" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_an_empty_text_query_is_refused_in_one_line(indexed):
    _, library = indexed
    proc = run_cli("search", "  ", library=library)
    assert proc.returncode == 2 and proc.stdout == ""
    assert (
        proc.stderr.strip()
        .splitlines()[-1]
        .endswith('the text query is empty: describe the photo, e.g. "a dog on the beach"')
    )


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("index", str(tmp_path / "missing"), library=tmp_path / "L").returncode == 2
    assert run_cli("search", library=tmp_path / "L").returncode == 2
    assert run_cli("frobnicate").returncode == 2


def test_rename_delete_and_bad_files_follow_a_reindex(tmp_path):
    photos = copy_shared_photos(tmp_path / "photos")
    library = tmp_path / "library"
    assert run_cli("index", str(photos), *RANDOM_VIT, library=library).returncode == 0

    (photos / "skimage_horse.png").rename(photos / "renamed_horse.png")
    (photos / "skimage_moon.png").unlink()
    (photos / "broken.jpg").write_bytes((photos / "sklearn_china.jpg").read_bytes()[:2000])
    (photos / "notes.png").write_text("not an image at all")
    (photos / "empty.jpg").write_bytes(b"")

    proc = run_cli("reindex", library=library)
    assert proc.returncode == 0, proc.stderr
    assert "0 new, 0 updated, 1 moved, 1 removed, 3 skipped" in proc.stdout  # no re-encode

    status = run_json("status", library=library)
    assert status["photos"] == 17
    reasons = {Path(s["path"]).name: s["reason"] for s in status["skipped_files"]}
    assert set(reasons) == {"broken.jpg", "notes.png", "empty.jpg"}
    assert "truncated" in reasons["broken.jpg"] or "corrupt" in reasons["broken.jpg"]
    assert "not an image" in reasons["notes.png"]
    assert "empty" in reasons["empty.jpg"]

    results = run_json(
        "search", "--image", str(photos / "renamed_horse.png"), "-k", "17", library=library
    )
    paths = [r["path"] for r in results]
    assert paths[0] == str(photos / "renamed_horse.png")
    assert str(photos / "skimage_moon.png") not in paths
    assert len(paths) == 17

    # A bad file fixed later is picked up.
    shutil.copyfile(photos / "sklearn_china.jpg", photos / "broken.jpg")
    proc = run_cli("reindex", library=library)
    assert "1 updated" in proc.stdout
    assert run_json("status", library=library)["photos"] == 18


def test_remove_forgets_folder_and_its_photos(tmp_path):
    photos = copy_shared_photos(tmp_path / "photos")
    library = tmp_path / "library"
    assert run_cli("index", str(photos), *RANDOM_VIT, library=library).returncode == 0
    proc = run_cli("remove", str(photos), library=library)
    assert proc.returncode == 0, proc.stderr
    status = run_json("status", library=library)
    assert status["photos"] == 0 and status["folders"] == []
    assert run_json("search", "anything", library=library) == []


def test_missing_pretrained_weights_fail_fast_with_clear_message(tmp_path, photos_dir):
    proc = run_cli(
        "index",
        str(photos_dir),
        "--model",
        "ViT-B-32",
        library=tmp_path / "L",
        env={"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")},
        timeout=120,
    )
    assert proc.returncode == 1
    line = proc.stderr.strip().splitlines()[-1]
    assert "ViT-B-32" in line and "laion2b_s34b_b79k" in line and "--weights" in line
    assert "Traceback" not in proc.stderr
    # nothing was encoded, so the user can simply try another model on the same library
    retry = run_cli(
        "index", str(photos_dir), "--model", "demo-resnet", library=tmp_path / "L", timeout=300
    )
    assert retry.returncode == 0, retry.stderr
    assert run_json("status", library=tmp_path / "L")["photos"] == 18


def test_a_reindex_with_nothing_changed_builds_no_model(indexed):
    _, library = indexed
    proc = run_cli("reindex", "--debug", library=library)
    assert proc.returncode == 0, proc.stderr
    assert "0 new, 0 updated, 0 moved, 0 removed, 0 skipped" in proc.stdout
    assert "building the model" not in proc.stderr


def test_a_text_search_asks_for_the_text_tower_only(indexed):
    _, library = indexed
    proc = run_cli("search", "a cat", "--debug", library=library)
    assert proc.returncode == 0, proc.stderr
    assert "building the model ViT-B-32 (text) on cpu" in proc.stderr


def test_a_reader_that_stops_early_gets_no_error_line(indexed):
    # `photosearch search ... | head -1`: head exits before the results are written
    _, library = indexed
    cmd = [sys.executable, "-m", "app.cli", "--library", str(library), "search", "a cat"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    proc.stdout.close()  # the reader is gone before anything is printed
    _, stderr = proc.communicate(timeout=300)
    assert "error" not in stderr.decode()

"""A folder's exclusions through the real CLI: added with --exclude, shown by status, and
taken back with --no-exclude, after which the next scan indexes the photos again."""

from __future__ import annotations

from pathlib import Path

from cli_support import run_cli, run_json
from photo_files import write_photo

RANDOM_VIT = ("--model", "ViT-B-32", "--weights", "random")


def _listed(lib: Path) -> list[str]:
    return sorted(Path(r["path"]).name for r in run_json("list", "--limit", "0", library=lib))


def test_removing_an_exclusion_brings_its_photos_back(tmp_path):
    photos, lib = tmp_path / "photos", tmp_path / "library"
    write_photo(photos / "beach.jpg", taken="2024:07:14 10:00:00")
    write_photo(photos / "@eaDir" / "thumb.jpg", taken="2024:07:14 10:00:00")
    write_photo(photos / "cache" / "p.jpg", taken="2024:07:14 10:00:00")
    proc = run_cli(
        "index", str(photos), "--exclude", "@eaDir", "--exclude", "cache", *RANDOM_VIT, library=lib
    )
    assert proc.returncode == 0, proc.stderr
    assert _listed(lib) == ["beach.jpg"]
    assert run_json("status", library=lib)["folders"][0]["exclude"] == ["@eaDir", "cache"]

    proc = run_cli("index", str(photos), "--no-exclude", "@eaDir", *RANDOM_VIT, library=lib)
    assert proc.returncode == 0, proc.stderr
    assert _listed(lib) == ["beach.jpg", "thumb.jpg"]
    assert run_json("status", library=lib)["folders"][0]["exclude"] == ["cache"]


def test_removing_an_exclusion_the_folder_lacks_is_one_line_and_changes_nothing(tmp_path):
    photos, lib = tmp_path / "photos", tmp_path / "library"
    write_photo(photos / "beach.jpg", taken="2024:07:14 10:00:00")
    write_photo(photos / "@eaDir" / "thumb.jpg", taken="2024:07:14 10:00:00")
    proc = run_cli("index", str(photos), "--exclude", "@eaDir", *RANDOM_VIT, library=lib)
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("index", str(photos), "--no-exclude", ".thumbnails", *RANDOM_VIT, library=lib)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and ".thumbnails" in lines[0] and "@eaDir" in lines[0]
    assert run_json("status", library=lib)["folders"][0]["exclude"] == ["@eaDir"]
    assert _listed(lib) == ["beach.jpg"]


def test_removing_an_exclusion_from_a_new_folder_adds_nothing(tmp_path):
    photos, lib = tmp_path / "photos", tmp_path / "library"
    write_photo(photos / "beach.jpg", taken="2024:07:14 10:00:00")
    proc = run_cli("index", str(photos), "--no-exclude", "@eaDir", *RANDOM_VIT, library=lib)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "@eaDir" in lines[0]
    assert run_json("status", library=lib)["folders"] == []

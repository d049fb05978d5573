"""A damaged catalog: every command says so with the way out; `reindex` rebuilds it."""

from __future__ import annotations

import pytest
from cli_support import run_cli, run_json
from fault_support import DEMO


def _overwrite_header(path):
    with open(path, "r+b") as f:
        f.write(b"\xde\xad" * 50)  # "file is not a database"


def _damage_pages(path):
    with open(path, "r+b") as f:
        f.seek(4096)
        f.write(b"\x0d\xff" * 4096)  # "database disk image is malformed"


@pytest.mark.parametrize("damage", [_overwrite_header, _damage_pages])
def test_damaged_catalog_is_kept_aside_and_rebuilt_by_reindex(damage, tmp_path, photos_dir):
    library = tmp_path / "library"
    assert run_cli("index", str(photos_dir), *DEMO, library=library).returncode == 0
    damage(library / "catalog.sqlite3")
    damaged_bytes = (library / "catalog.sqlite3").read_bytes()
    query = ("search", "--image", str(photos_dir / "skimage_chelsea.png"), "-k", "3")

    for command in (query, ("status",)):
        proc = run_cli(*command, library=library)
        assert proc.returncode == 1
        assert proc.stderr.startswith("photosearch: error: the catalog ")
        assert "is damaged" in proc.stderr and "`photosearch reindex`" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1

    proc = run_cli("reindex", library=library)
    assert proc.returncode == 0, proc.stderr
    assert "the catalog was damaged" in proc.stderr
    kept = list(library.glob("catalog.sqlite3.damaged-*"))
    assert [p.read_bytes() for p in kept if p.name.endswith(tuple("0123456789"))] == [damaged_bytes]
    assert run_json("status", library=library)["photos"] == 18
    assert run_json(*query, library=library)[0]["path"] == str(photos_dir / "skimage_chelsea.png")

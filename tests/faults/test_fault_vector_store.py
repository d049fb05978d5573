"""A deleted or damaged vector store: searches say so, and one `reindex` rebuilds it."""

from __future__ import annotations

import pytest
from cli_support import run_cli, run_json
from fault_support import DEMO


def _delete(path):
    path.unlink()


def _overwrite_with_garbage(path):
    path.write_bytes(b"not an index" * 1000)


@pytest.mark.parametrize("damage", [_delete, _overwrite_with_garbage])
def test_lost_vector_store_is_reported_and_rebuilt_by_one_reindex(damage, tmp_path, photos_dir):
    library = tmp_path / "library"
    assert run_cli("index", str(photos_dir), *DEMO, library=library).returncode == 0
    damage(library / "vectors.hnsw")
    query = ("search", "--image", str(photos_dir / "skimage_chelsea.png"), "-k", "3")

    proc = run_cli(*query, "--json", library=library)
    assert proc.returncode == 1 and proc.stdout == ""  # never an empty list as if empty
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "run `photosearch reindex` to rebuild it from your photos" in proc.stderr

    proc = run_cli("reindex", library=library)
    assert proc.returncode == 0, proc.stderr
    assert "encoding its 18 photos again" in proc.stderr
    assert "0 new, 18 updated" in proc.stdout
    results = run_json(*query, library=library)
    assert results[0]["path"] == str(photos_dir / "skimage_chelsea.png")

"""A photo replaced by another with the same name, size and mtime is encoded again."""

from __future__ import annotations

import os

from cli_support import run_cli, run_json
from fault_support import DEMO


def _replace_keeping_size_and_mtime(target, source):
    """Copy ``source``'s picture over ``target``: same size (padded past the image's end,
    which decoders ignore) and the old mtime restored, as a sync or restore tool can."""
    old = os.stat(target)
    data = source.read_bytes()
    assert len(data) <= old.st_size
    replacement = target.with_name(".incoming")
    replacement.write_bytes(data + b"\0" * (old.st_size - len(data)))
    os.utime(replacement, ns=(old.st_atime_ns, old.st_mtime_ns))
    os.replace(replacement, target)


def test_photo_replaced_with_same_size_and_mtime_is_re_encoded(tmp_path, photos_dir):
    library = tmp_path / "library"
    assert run_cli("index", str(photos_dir), *DEMO, library=library).returncode == 0
    target, source = photos_dir / "skimage_hubble_deep_field.jpg", photos_dir / "sklearn_china.jpg"
    _replace_keeping_size_and_mtime(target, source)

    proc = run_cli("reindex", library=library)
    assert "0 new, 1 updated, 0 moved, 0 removed, 0 skipped" in proc.stdout, proc.stderr
    found = run_json("search", "--image", str(source), "-k", "2", library=library)
    assert {r["path"] for r in found} == {str(source), str(target)}
    assert found[1]["score"] > 0.999


def test_unchanged_photo_with_new_inode_is_not_re_encoded(tmp_path, photos_dir):
    library = tmp_path / "library"
    assert run_cli("index", str(photos_dir), *DEMO, library=library).returncode == 0
    target = photos_dir / "sklearn_china.jpg"
    _replace_keeping_size_and_mtime(target, target)  # a restore of the same bytes

    proc = run_cli("reindex", library=library)
    assert "0 new, 0 updated, 0 moved, 0 removed, 0 skipped" in proc.stdout, proc.stderr

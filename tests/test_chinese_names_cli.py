"""Chinese file and folder names through the real command line: scanning, search (plain and
--json), the skipped-files list; with the Chinese interface, the summaries are Chinese."""

from __future__ import annotations

import json
import shutil

from cli_support import SHARED_PHOTOS, run_cli

CHINESE = {"PHOTOSEARCH_LANG": "zh_CN"}


def test_chinese_names_are_indexed_found_and_listed_when_skipped(tmp_path):
    beach, party = tmp_path / "照片" / "海边", tmp_path / "照片" / "生日 聚会"
    beach.mkdir(parents=True)
    party.mkdir()
    jpgs = sorted(p for p in SHARED_PHOTOS.iterdir() if p.suffix.lower() == ".jpg")
    sunset, dog, cake = beach / "日落.jpg", beach / "小狗 照片.jpg", party / "蛋糕.jpg"
    for source, target in zip(jpgs, (sunset, dog, cake), strict=False):
        shutil.copyfile(source, target)
    broken = party / "坏的照片.jpg"
    broken.write_bytes(b"not a photo")
    library = tmp_path / "图库"

    proc = run_cli("index", str(tmp_path / "照片"), "--model", "demo", library=library, env=CHINESE)
    assert proc.returncode == 0, proc.stderr
    assert "新增 3，更新 0，移动 0，移除 0，跳过 1" in proc.stdout

    proc = run_cli("search", "--image", str(sunset), "--json", "-k", "3", library=library)
    assert proc.returncode == 0, proc.stderr
    assert "日落.jpg" in proc.stdout  # written as UTF-8, not \\u escapes
    results = json.loads(proc.stdout)
    assert results[0]["path"] == str(sunset)
    assert {r["path"] for r in results} == {str(sunset), str(dog), str(cake)}

    proc = run_cli("search", "--image", str(dog), "-k", "1", library=library)
    assert proc.stdout.rstrip().endswith(f"  {dog}")  # a space in the name, printed whole

    proc = run_cli("status", "--json", library=library)
    status = json.loads(proc.stdout)
    assert [s["path"] for s in status["skipped_files"]] == [str(broken)]
    assert {f["path"] for f in status["folders"]} == {str(tmp_path / "照片")}
    proc = run_cli("status", library=library, env=CHINESE)
    assert f"  {broken}: " in proc.stdout and "已跳过：  1" in proc.stdout

"""Under a Chinese locale, what engine/ and index/ tell the user reaches it in Chinese: the
reason a file was skipped, a model that cannot be loaded, the note on a query in a script
the model cannot read. English stays as it was (tests/test_cli_core.py and others)."""

from __future__ import annotations

from cli_support import run_cli

CHINESE = {"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": "", "PHOTOSEARCH_LANG": ""}


def test_the_reason_a_file_was_skipped_is_chinese(tmp_path, photos_dir):
    broken = photos_dir / "broken.jpg"
    broken.write_bytes(b"this is no JPEG at all\n" * 8)
    library = tmp_path / "L"
    indexed = run_cli("index", str(photos_dir), "--model", "demo", library=library, env=CHINESE)
    assert indexed.returncode == 0, indexed.stderr
    assert f"已跳过 {broken}：不是图片文件（无法识别的格式）" in indexed.stderr  # as it happens
    proc = run_cli("status", library=library, env=CHINESE)  # and as the catalog keeps it
    assert proc.returncode == 0, proc.stderr
    line = next(line for line in proc.stdout.splitlines() if "broken.jpg" in line)
    assert line.endswith("broken.jpg: 不是图片文件（无法识别的格式）"), proc.stdout


def test_a_missing_weights_file_is_one_chinese_line(tmp_path, photos_dir):
    missing = tmp_path / "nowhere" / "weights.pt"
    proc = run_cli(
        "index", str(photos_dir), "--model", "demo", "--weights", str(missing),
        library=tmp_path / "L", env=CHINESE,
    )  # fmt: skip
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [f"photosearch：错误：找不到权重文件：{missing}"]


def test_an_offline_model_is_one_chinese_line(tmp_path, photos_dir):
    env = {**CHINESE, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    proc = run_cli(
        "index", str(photos_dir), "--model", "RN50", library=tmp_path / "L", env=env, timeout=120
    )
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()  # the progress bar began before the model loads
    errors = [line for line in lines if line.startswith("photosearch")]
    assert errors == lines[-1:], proc.stderr
    assert errors[0].startswith("photosearch：错误：RN50“openai”的权重")
    assert "尚未下载，且无法连接模型中心（设置了 HF_HUB_OFFLINE）" in errors[0]


def test_a_chinese_query_on_an_english_only_model_gets_the_chinese_note(tmp_path, photos_dir):
    library = tmp_path / "L"
    model = ("--model", "RN50", "--weights", "random")
    indexed = run_cli("index", str(photos_dir), *model, library=library)
    assert indexed.returncode == 0, indexed.stderr
    proc = run_cli("search", "海边的狗", "-k", "3", library=library, env=CHINESE)
    assert proc.returncode == 0, proc.stderr
    note = "这条查询是中文/日文文字，但该模型只读英文：结果很可能无关；请用英文查询"
    assert note in proc.stdout + proc.stderr

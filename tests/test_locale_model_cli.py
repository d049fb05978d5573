"""A new library under a Chinese system locale starts with a model that understands Chinese,
and says so once; a library that has its model keeps it."""

from __future__ import annotations

from cli_support import run_cli, run_json

from engine.registry import model_for_language

CHINESE = {"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}


def test_a_new_library_under_a_chinese_locale_gets_the_multilingual_model(tmp_path, photos_dir):
    env = {**CHINESE, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    proc = run_cli("index", str(photos_dir), library=tmp_path / "L", env=env, timeout=120)
    model = model_for_language("zh_CN")
    lines = proc.stderr.strip().splitlines()
    # offline here: its weights cannot be fetched, which the last line says, naming it
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert model in lines[-1] and "laion5b_s13b_b90k" in lines[-1]
    assert [line for line in lines[:-1] if model in line] != [], proc.stderr  # said before


def test_a_library_with_a_model_keeps_it_under_a_chinese_locale(tmp_path, photos_dir):
    library = tmp_path / "L"
    first = run_cli("index", str(photos_dir), "--model", "demo", library=library)
    assert first.returncode == 0, first.stderr
    again = run_cli("index", str(photos_dir), library=library, env=CHINESE)
    assert again.returncode == 0, again.stderr
    assert model_for_language("zh_CN") not in again.stderr
    assert run_json("status", library=library)["model"] == "demo"


def test_only_english_only_models_get_the_other_script_note():
    from app.context import query_language_note
    from engine.encoder import ClipEncoder

    english, multilingual = ClipEncoder("ViT-B-32", "random"), ClipEncoder(model_for_language("zh"))
    assert "English only" in query_language_note(english, "海边的狗")
    assert query_language_note(multilingual, "海边的狗") is None

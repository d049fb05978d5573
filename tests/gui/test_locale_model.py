"""Under a Chinese system locale, a new library's window loads a model that understands
Chinese (from the model hub cache the tests write) and says so."""

from __future__ import annotations

from hub_cache_support import use_cache

from app.gui.controller import INFO
from engine.registry import model_for_language


def test_a_new_library_under_a_chinese_locale_loads_a_chinese_model(
    make_window, qtbot, tmp_path, monkeypatch, multilingual_hub
):
    use_cache(monkeypatch, multilingual_hub[0])
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    window = make_window(tmp_path / "new", model=None)
    controller = window.controller
    notes: list[str] = []
    controller.message.connect(lambda text, kind: notes.append(text) if kind == INFO else None)
    qtbot.waitUntil(lambda: controller.model_info is not None, timeout=120_000)
    model = model_for_language("zh_CN")
    assert controller.model_info.name == model
    assert [note for note in notes if model in note and "--model" not in note], notes

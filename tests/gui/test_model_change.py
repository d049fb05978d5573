"""Changing the model in Settings: the working model stays until the new one has loaded."""

from __future__ import annotations

from app.gui.settings import GuiSettings

from .conftest import open_ready


def test_a_model_that_cannot_load_leaves_the_working_model_and_speaks_of_settings(
    make_window, qtbot, indexed_library, monkeypatch
):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # pretrained weights cannot be fetched
    window, controller = open_ready(make_window, qtbot, indexed_library)
    working = controller.model_info
    errors: list[str] = []
    controller.message.connect(lambda text, kind: errors.append(text) if kind == "error" else None)

    controller.apply_settings(GuiSettings(model="ViT-B-32", weights=None))
    qtbot.waitUntil(lambda: not controller.loading_model and bool(errors), timeout=60_000)

    assert controller.model_info == working
    assert "Settings" in errors[0] and "--weights" not in errors[0], errors[0]
    assert controller.settings.model is None  # the failed choice is not remembered
    assert controller.folders.indexing is not None  # folders are still watched
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        controller.search.search_text("a blue square")
    assert controller.search.outcome.items  # and searches still run

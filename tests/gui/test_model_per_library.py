"""A library's model belongs to the library; a new one starts from the recommended model."""

from __future__ import annotations

from app.gui.settings import GuiSettings

from .conftest import MODEL, copy_scenes


def _errors(controller) -> list[str]:
    seen: list[str] = []
    controller.message.connect(lambda text, kind: seen.append(text) if kind == "error" else None)
    return seen


def test_a_model_chosen_for_one_library_does_not_follow_to_a_new_one(
    make_window, qtbot, tmp_path, monkeypatch, demo_photos
):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # the recommended model cannot be fetched here
    first = make_window(tmp_path / "first", model=None)
    errors = _errors(first.controller)
    qtbot.waitUntil(lambda: not first.controller.loading_model and bool(errors), timeout=60_000)
    with qtbot.waitSignal(first.controller.ready, timeout=120_000):
        first.controller.apply_settings(GuiSettings(model=MODEL[0], weights=MODEL[1]))
    assert first.controller.model_info.name == MODEL[0]
    first.close()

    second = make_window(tmp_path / "second", model=None)
    controller = second.controller
    errors = _errors(controller)
    qtbot.waitUntil(lambda: not controller.loading_model and bool(errors), timeout=60_000)
    assert controller.model_info is None  # not silently the first library's toy model
    assert "Settings" in errors[-1] and "demo model" in errors[-1], errors[-1]

    # Add folder… still works: the folder is kept and indexed once a model has loaded
    folder = copy_scenes(demo_photos, tmp_path / "photos", 3)
    controller.folders.add_folder(str(folder))
    qtbot.waitUntil(
        lambda: (
            controller.folders.state is not None
            and [f.path for f in controller.folders.state.folders] == [str(folder)]
        ),
        timeout=10_000,
    )
    with qtbot.waitSignal(controller.folders.signals.finished, timeout=120_000):
        controller.apply_settings(GuiSettings(model=MODEL[0], weights=MODEL[1]))
    qtbot.waitUntil(lambda: controller.folders.state.photos == 3, timeout=10_000)

"""Settings are remembered across runs, in the settings store (never the user's own in tests)."""

from __future__ import annotations

from app.gui.settings import GuiSettings


def test_the_result_count_survives_a_restart_and_the_model_choice_does_not(isolated_settings):
    GuiSettings(model="demo-resnet", weights=None, results=96).save()
    # the model belongs to a library (its binding), never to every library opened later
    assert GuiSettings.load() == GuiSettings(model=None, weights=None, results=96)
    assert any(isolated_settings.iterdir())  # written where the test put them

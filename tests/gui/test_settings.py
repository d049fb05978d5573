"""Settings are remembered across runs, in the settings store (never the user's own in tests)."""

from __future__ import annotations

from app.gui.settings import GuiSettings


def test_settings_survive_a_restart(isolated_settings):
    GuiSettings(model="demo-resnet", weights=None, results=96).save()
    assert GuiSettings.load() == GuiSettings(model="demo-resnet", weights=None, results=96)
    assert any(isolated_settings.iterdir())  # written where the test put them

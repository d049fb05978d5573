"""User settings remembered across runs (QSettings: the platform's native store)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

from app.language import LANGUAGES

ORGANIZATION = "photosearch"
APPLICATION = "photosearch"
RESULTS_CHOICES = (12, 24, 48, 96, 200)
DEFAULT_RESULTS = 48
DEFAULT_THUMB = 160  # grid thumbnail side, px

_settings_file: Path | None = None  # set by use_settings_dir (tests, benchmarks)


def use_settings_dir(folder: str | Path | None) -> None:
    """Keep settings in an ini file in ``folder`` instead of the user's own (None: undo)."""
    global _settings_file
    _settings_file = Path(folder) / f"{APPLICATION}.ini" if folder is not None else None


def _store() -> QSettings:
    if _settings_file is not None:
        return QSettings(str(_settings_file), QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APPLICATION)


@dataclass
class GuiSettings:
    # The model chosen in Settings for the open library. Never saved: a library remembers
    # its own model (its binding), so another library is never tied to this choice.
    model: str | None = None  # None: the library's own model (or the recommended one)
    weights: str | None = None
    results: int = DEFAULT_RESULTS  # results per page
    thumb: int = DEFAULT_THUMB  # the grid's thumbnail size
    language: str | None = None  # a code of app.language.LANGUAGES; None: the system's

    @classmethod
    def load(cls, store: QSettings | None = None) -> GuiSettings:
        s = store or _store()
        try:
            results = int(s.value("search/results", DEFAULT_RESULTS))
        except (TypeError, ValueError):
            results = DEFAULT_RESULTS
        try:
            thumb = int(s.value("grid/thumb", DEFAULT_THUMB))
        except (TypeError, ValueError):
            thumb = DEFAULT_THUMB
        language = str(s.value("interface/language", "")) or None
        return cls(
            results=max(1, min(results, 1000)),
            thumb=max(64, min(thumb, 512)),
            language=language if language in LANGUAGES else None,
        )

    def save(self, store: QSettings | None = None) -> None:
        s = store or _store()
        s.setValue("search/results", self.results)
        s.setValue("grid/thumb", self.thumb)
        s.setValue("interface/language", self.language or "")
        s.sync()


def save_window_state(width: int, height: int, maximized: bool, panes: bytes) -> None:
    """The window's size and its panes' widths (QSplitter.saveState), for the next start."""
    s = _store()
    s.setValue("window/size", f"{width}x{height}")
    s.setValue("window/maximized", int(maximized))
    s.setValue("window/panes", panes)
    s.sync()


def load_window_state() -> tuple[tuple[int, int] | None, bool, bytes | None]:
    """(width, height) or None, maximized, pane state or None."""
    s = _store()
    size = None
    try:
        width, height = (int(n) for n in str(s.value("window/size", "")).split("x"))
        size = (width, height)
    except ValueError:
        pass
    panes = s.value("window/panes")
    panes = bytes(panes) if panes is not None and not isinstance(panes, str) else None
    return size, str(s.value("window/maximized", "0")) == "1", panes or None

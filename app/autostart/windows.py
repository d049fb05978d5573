"""Windows: a command file in the user's Startup folder (``%APPDATA%``), run at login."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app.autostart.launch_command import NAME, environment, photosearch_argv
from app.translation import _

STARTUP = Path("Microsoft", "Windows", "Start Menu", "Programs", "Startup")


def entry_path() -> Path:
    appdata = os.environ.get("APPDATA") or os.path.expanduser("~/AppData/Roaming")
    return Path(appdata) / STARTUP / f"{NAME}.cmd"


def _quoted(arg: str) -> str:
    return '"' + arg.replace('"', '""').replace("%", "%%") + '"'


def script(library: Path) -> str:
    argv = photosearch_argv(library, "watch")
    windowless = Path(sys.executable).with_name("pythonw.exe")
    if windowless.exists():  # no console window for the service
        argv[0] = str(windowless)
    sets = [f'set "{k}={v.replace("%", "%%")}"' for k, v in environment().items()]
    start = 'start "photosearch" /min ' + " ".join(_quoted(a) for a in argv)
    return "\r\n".join(["@echo off", *sets, start, ""])


def install(library: Path) -> list[str]:
    path = entry_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(script(library), encoding="utf-8")
    return [_("installed {path}").format(path=path), _("it starts at the next login")]


def uninstall() -> list[str]:
    path = entry_path()
    if not path.exists():
        return [_("not installed ({path})").format(path=path)]
    path.unlink()
    return [_("removed {path}").format(path=path)]


def state() -> tuple[Path, bool, str | None]:
    path = entry_path()
    return path, path.exists(), None

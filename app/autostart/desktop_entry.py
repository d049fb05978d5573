"""Linux: the window in the applications menu, a freedesktop desktop entry
(``$XDG_DATA_HOME/applications/photosearch.desktop``) with the photosearch icon
(``$XDG_DATA_HOME/icons/hicolor/scalable/apps/photosearch.svg``, from assets/)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from app.autostart.launch_command import code_root, photosearch_argv
from app.translation import _

APP_ID = "photosearch"
ICON_SOURCE = Path(__file__).resolve().parents[2] / "assets" / "photosearch.svg"
_PLAIN = re.compile(r"^[A-Za-z0-9_./:=+,@-]+$")


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"))


def entry_path() -> Path:
    return data_home() / "applications" / f"{APP_ID}.desktop"


def icon_path() -> Path:
    return data_home() / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def exec_word(arg: str) -> str:
    """One argument of an Exec key: quoted when it holds reserved characters, ``%``
    doubled, and backslashes escaped again for the string value (the spec's two levels)."""
    if _PLAIN.match(arg):
        word = arg
    else:
        word = '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'
    return word.replace("%", "%%").replace("\\", "\\\\")


def entry_text(library: Path) -> str:
    argv = ["env", f"PYTHONPATH={code_root()}", *photosearch_argv(library, "gui")]
    return f"""[Desktop Entry]
Type=Application
Version=1.4
Name=photosearch
GenericName=Photo Search
Comment=Find your photos by describing them; nothing leaves the computer
Exec={" ".join(exec_word(a) for a in argv)}
Icon={APP_ID}
Terminal=false
Categories=Graphics;Photography;Viewer;
Keywords=photo;picture;image;search;find;
StartupNotify=true
"""


def install(library: Path) -> list[str]:
    entry, icon = entry_path(), icon_path()
    icon.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ICON_SOURCE, icon)
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(entry_text(library), encoding="utf-8")
    return [
        _("installed {path}").format(path=entry),
        _("installed {path}").format(path=icon),
        _("photosearch is in the applications menu"),
    ]


def uninstall() -> list[str]:
    removed = [p for p in (entry_path(), icon_path()) if p.exists()]
    for path in removed:
        path.unlink()
    gone = [_("removed {path}").format(path=p) for p in removed]
    return gone or [_("not installed ({path})").format(path=entry_path())]

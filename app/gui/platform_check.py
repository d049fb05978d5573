"""Before Qt starts on X11: are the libraries its xcb platform plugin needs installed?

Qt aborts (exit 134) when one is missing and often names the wrong one; ``ldd`` on the
plugin lists every missing library, so the window can name them all, with the command
that installs them, and exit cleanly instead.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from app.translation import ngettext

# Debian/Ubuntu package of each library Qt's xcb plugin loads, where the name does not
# follow from the file name (libfoo-bar.so.N -> libfoo-barN).
PACKAGES = {
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libICE.so.6": "libice6",
    "libSM.so.6": "libsm6",
}


def xcb_plugin() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    plugin = Path(list(spec.submodule_search_locations)[0]) / "Qt/plugins/platforms/libqxcb.so"
    return plugin if plugin.is_file() else None


def missing_libraries(binary: Path) -> list[str]:
    """The shared libraries ``binary`` needs that the loader cannot find (``ldd``)."""
    if shutil.which("ldd") is None:
        return []
    out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True).stdout
    found = re.findall(r"^\s*(\S+) => not found", out, flags=re.MULTILINE)
    return sorted(set(found))


def package_for(soname: str) -> str:
    if soname in PACKAGES:
        return PACKAGES[soname]
    name, _, version = soname.partition(".so.")
    version = version.split(".")[0]
    return (name + ("-" if name[-1].isdigit() else "") + version).lower()


def problem(binary: Path) -> str | None:
    """What to tell the user when ``binary`` cannot load, or None when it can."""
    missing = missing_libraries(binary)
    if not missing:
        return None
    packages = " ".join(dict.fromkeys(package_for(name) for name in missing))
    return ngettext(
        "The window cannot start: Qt's X11 support needs {libraries}, which is not installed."
        " On Debian or Ubuntu run:\n    sudo apt install {packages}\n(or run ./run gui,"
        " which installs them)",
        "The window cannot start: Qt's X11 support needs {libraries}, which are not installed."
        " On Debian or Ubuntu run:\n    sudo apt install {packages}\n(or run ./run gui,"
        " which installs them)",
        len(missing),
    ).format(libraries=", ".join(missing), packages=packages)


def uses_xcb() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform:
        return platform.split(":")[0] == "xcb"
    wayland = os.environ.get("WAYLAND_DISPLAY") or os.environ.get("XDG_SESSION_TYPE") == "wayland"
    return sys.platform.startswith("linux") and bool(os.environ.get("DISPLAY")) and not wayland


def check_platform() -> str | None:
    """None when Qt can start here; else the message to print."""
    plugin = xcb_plugin() if uses_xcb() else None
    return problem(plugin) if plugin is not None else None

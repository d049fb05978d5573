"""The login-service kind for this platform (a module with install, uninstall, state)."""

from __future__ import annotations

import sys
from types import ModuleType


def login_service() -> ModuleType:
    if sys.platform == "darwin":
        from app.autostart import launchd

        return launchd
    if sys.platform == "win32":
        from app.autostart import windows

        return windows
    from app.autostart import systemd

    return systemd

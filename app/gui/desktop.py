"""Platform conventions: open a photo in the system viewer, show it in the file manager."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QProcess, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication


def open_file(path: str) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(path))


def reveal_file(path: str) -> bool:
    """Show the file selected in its folder where the platform can; else open the folder."""
    if sys.platform == "win32":
        return QProcess.startDetached("explorer.exe", [f"/select,{os.path.normpath(path)}"])[0]
    if sys.platform == "darwin":
        return QProcess.startDetached("open", ["-R", path])[0]
    return QDesktopServices.openUrl(QUrl.fromLocalFile(os.path.dirname(path)))


def copy_text(text: str) -> None:
    QGuiApplication.clipboard().setText(text)

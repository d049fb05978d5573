"""Questions the window asks before acting on files (a modal Yes/Cancel; Cancel is default)."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QMessageBox, QWidget


def ask(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def trash_photos(parent: QWidget, paths: list[str]) -> bool:
    what = os.path.basename(paths[0]) if len(paths) == 1 else f"{len(paths)} photos"
    return ask(
        parent,
        "Move to trash",
        f"Move {what} to the trash? They leave the library too; you can restore them from"
        " the system trash.",
    )


def remove_folder(parent: QWidget, path: str) -> bool:
    name = os.path.basename(path.rstrip(os.sep)) or path
    return ask(
        parent,
        "Remove folder",
        f"Remove {name} from the library? Its photos leave the search results and the folder"
        " is no longer watched. The files stay on disk; add the folder again to bring them"
        " back.",
    )

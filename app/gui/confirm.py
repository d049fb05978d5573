"""Questions the window asks before acting on files (a modal Yes/Cancel; Cancel is default)."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.gui.translator import number


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
    if len(paths) == 1:
        question = QCoreApplication.translate(
            "confirm",
            "Move {name} to the trash? It leaves the library too; you can restore it from"
            " the system trash.",
        ).format(name=os.path.basename(paths[0]))
    else:
        question = QCoreApplication.translate(
            "confirm",
            "Move {count} photos to the trash? They leave the library too; you can restore"
            " them from the system trash.",
        ).format(count=number(len(paths)))
    return ask(parent, QCoreApplication.translate("confirm", "Move to trash"), question)


def remove_folder(parent: QWidget, path: str) -> bool:
    name = os.path.basename(path.rstrip(os.sep)) or path
    question = QCoreApplication.translate(
        "confirm",
        "Remove {name} from the library? Its photos leave the search results and the folder"
        " is no longer watched. The files stay on disk; add the folder again to bring them"
        " back.",
    )
    title = QCoreApplication.translate("confirm", "Remove folder")
    return ask(parent, title, question.format(name=name))

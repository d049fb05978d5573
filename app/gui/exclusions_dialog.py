"""A non-modal dialog with a library folder's exclusions: see them, add one, remove one."""

from __future__ import annotations

import os

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from app.gui.session import FolderStatus


class ExclusionsDialog(QDialog):
    change_requested = Signal(str, list, list)  # folder path, patterns added, removed

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.resize(440, 320)
        self.path: str | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.pattern = QLineEdit()
        self.pattern.setPlaceholderText(self.tr("A name like @eaDir or *.tmp, or cache/previews"))
        self.add_button = QPushButton(self.tr("Leave out"))
        self.remove_button = QPushButton(self.tr("Stop leaving out"))
        self.remove_button.setEnabled(False)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("font-weight: bold;")
        self.error.hide()
        self.add_button.clicked.connect(self._add)
        self.pattern.returnPressed.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.list.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.list.selectedItems()))
        )
        adding = QHBoxLayout()
        adding.addWidget(self.pattern, 1)
        adding.addWidget(self.add_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.remove_button)
        layout.addLayout(adding)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def show_folder(self, folder: FolderStatus) -> None:
        """Open (or bring up) the dialog on ``folder``."""
        if folder.path != self.path:
            self.pattern.clear()
            self.error.hide()
        self.path = folder.path
        name = os.path.basename(folder.path.rstrip(os.sep)) or folder.path
        self.setWindowTitle(self.tr("Exclusions of {name}").format(name=name))
        self.set_patterns(folder.exclude)
        self.show()
        self.raise_()

    def update_folders(self, folders: list[FolderStatus]) -> None:
        """Follow the library: the folder's patterns as stored now."""
        for folder in folders:
            if folder.path == self.path:
                if len(folder.exclude) > self.list.count():
                    self.pattern.clear()  # the one typed was taken
                self.set_patterns(folder.exclude)
                return
        self.close()  # the folder left the library

    def set_patterns(self, rules: tuple[str, ...]) -> None:
        self.summary.setText(
            self.tr("Subfolders and files these patterns match are left out of the library:")
            if rules
            else self.tr("Nothing is left out of this folder.")
        )
        self.list.clear()
        self.list.addItems(list(rules))

    def patterns(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _add(self) -> None:
        if self.path is not None:
            self.error.hide()
            self.change_requested.emit(self.path, [self.pattern.text()], [])

    def _remove(self) -> None:
        items = self.list.selectedItems()
        if self.path is not None and items:
            self.error.hide()
            self.change_requested.emit(self.path, [], [items[0].text()])

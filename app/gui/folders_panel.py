"""The folders panel: the library's folders with photo count and state; add and remove them,
and open a folder's exclusions."""

from __future__ import annotations

import os

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui import confirm
from app.gui.exclusions_dialog import ExclusionsDialog
from app.gui.session import INDEXING, MISSING, WAITING, WATCHING, FolderStatus
from app.gui.translator import counted, number

STATE_MARK = {
    INDEXING: QT_TRANSLATE_NOOP("FoldersPanel", "⟳ indexing"),
    MISSING: QT_TRANSLATE_NOOP("FoldersPanel", "⚠ offline"),
    WATCHING: QT_TRANSLATE_NOOP("FoldersPanel", "✓ watching"),
    WAITING: QT_TRANSLATE_NOOP("FoldersPanel", "waiting for a model"),
}


class FoldersPanel(QWidget):
    add_requested = Signal(str)
    remove_requested = Signal(str)
    skipped_requested = Signal()
    duplicates_requested = Signal()
    folder_chosen = Signal(object)  # the selected folder's path, None for none (browse all)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        title = QLabel("<b>{}</b>".format(self.tr("Folders")))
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.list.setToolTip(
            self.tr("Folders in the library; new and changed photos are picked up")
        )
        self.add_button = QPushButton(self.tr("Add folder…"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setEnabled(False)
        self.exclusions_button = QPushButton(self.tr("Exclusions…"))
        self.exclusions_button.setToolTip(
            self.tr("Subfolders and files of the selected folder to leave out")
        )
        self.exclusions_button.setEnabled(False)
        self.exclusions_dialog = ExclusionsDialog(self)
        self._folders: list[FolderStatus] = []
        self.skipped_button = QPushButton(self.tr("Skipped files…"))
        self.duplicates_button = QPushButton(self.tr("Duplicates…"))
        self.duplicates_button.setToolTip(
            self.tr("Find near-identical photos and keep the best copy")
        )
        self.add_button.clicked.connect(self._choose_folder)
        self.remove_button.clicked.connect(self._remove_current)
        self.exclusions_button.clicked.connect(self._show_exclusions)
        self.skipped_button.clicked.connect(self.skipped_requested)
        self.duplicates_button.clicked.connect(self.duplicates_requested)
        self.list.itemSelectionChanged.connect(self._user_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.exclusions_button)
        layout.addWidget(self.skipped_button)
        layout.addWidget(self.duplicates_button)
        self._writable = True

    def set_writable(self, writable: bool) -> None:
        self._writable = writable
        self.add_button.setEnabled(writable)
        self._selection_changed()

    def _selection_changed(self) -> None:
        chosen = self._writable and self.current_path() is not None
        self.remove_button.setEnabled(chosen)
        self.exclusions_button.setEnabled(chosen)

    def _user_selected(self) -> None:
        self._selection_changed()
        self.folder_chosen.emit(self.current_path())

    def set_folders(self, folders: list[FolderStatus]) -> None:
        """Show ``folders``. The library is read again every few seconds while indexing:
        when the folders are the ones listed, their items are updated in place (the
        selection, scroll position and keyboard focus stay); otherwise the list is rebuilt,
        keeping the selected folder."""
        current = self.current_path()
        self._folders = folders
        if self.exclusions_dialog.isVisible():
            self.exclusions_dialog.update_folders(folders)
        items = [self.list.item(i) for i in range(self.list.count())]
        if [item.data(Qt.ItemDataRole.UserRole) for item in items] == [f.path for f in folders]:
            for item, folder in zip(items, folders, strict=True):
                if item.text() != self._item_text(folder):
                    item.setText(self._item_text(folder))
            self._selection_changed()
            return
        self.list.blockSignals(True)  # rebuilding selects nothing by itself
        self.list.clear()
        for folder in folders:
            item = QListWidgetItem(self._item_text(folder))
            item.setData(Qt.ItemDataRole.UserRole, folder.path)
            item.setToolTip(folder.path)
            self.list.addItem(item)
            if folder.path == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._selection_changed()

    def _item_text(self, folder: FolderStatus) -> str:
        name = os.path.basename(folder.path.rstrip(os.sep)) or folder.path
        photos = counted(folder.count, self.tr("{count} photo"), self.tr("{count} photos"))
        state = STATE_MARK.get(folder.state)
        return f"{name}\n{photos} · {self.tr(state) if state else folder.state}"

    def set_skipped_count(self, count: int) -> None:
        self.skipped_button.setText(self.tr("Skipped files ({count})…").format(count=number(count)))

    def folder_texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def current_path(self) -> str | None:
        """The folder the user selected (none until they pick one)."""
        items = self.list.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Add a photo folder"))
        if path:
            self.add_requested.emit(path)

    def _remove_current(self) -> None:
        path = self.current_path()
        if not path:
            return
        if confirm.remove_folder(self, path):
            self.remove_requested.emit(path)

    def _show_exclusions(self) -> None:
        path = self.current_path()
        for folder in self._folders:
            if folder.path == path:
                self.exclusions_dialog.show_folder(folder)

"""The filter bar: date range, place, camera, folder, type and the sort order, with each
filter in force shown as a chip that clears it. Layout only: it forwards what the user
chose to ``FiltersController`` and shows what that controller holds."""

from __future__ import annotations

import os

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.filters_controller import FiltersController
from app.photos import DATE, RELEVANCE
from index.photo_filter import KNOWN_TYPES

CHIP_STYLE = "QPushButton { border: 1px solid palette(mid); border-radius: 9px; padding: 1px 8px; }"


class FilterBar(QWidget):
    folder_cleared = Signal()  # the folder chip was cleared (the folder list follows)

    def __init__(self, filters: FiltersController, parent=None) -> None:
        super().__init__(parent)
        self.filters = filters
        self.after = self._field(self.tr("From"), "after", 80)
        self.before = self._field(self.tr("Before"), "before", 80)
        self.after.setToolTip(self.tr("Taken in or after: 2024, 2024-06 or 2024-07-14"))
        self.before.setToolTip(self.tr("Taken before: 2024-09 means up to the end of August"))
        self.place = self._field(self.tr("Place"), "place", 100)
        self.camera = self._field(self.tr("Camera"), "camera", 100)
        self.type = QComboBox()
        self.type.addItem(self.tr("Any type"), "")
        for name in KNOWN_TYPES:
            self.type.addItem(name, name)
        self.type.activated.connect(
            lambda i: filters.set_value("types", self.type.itemData(i) or "")
        )
        self.folder = QComboBox()
        self.folder.addItem(self.tr("All folders"), "")
        self.folder.activated.connect(
            lambda i: filters.set_value("folder", self.folder.itemData(i) or "")
        )
        self.sort = QComboBox()
        self.sort.addItem(self.tr("Best match"), RELEVANCE)
        self.sort.addItem(self.tr("Newest first"), DATE)
        self.sort.setToolTip(self.tr("Order of search results"))
        self.sort.activated.connect(lambda i: filters.set_sort(self.sort.itemData(i)))
        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        for widget in (self.after, self.before, self.place, self.camera, self.type, self.folder):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.sort)
        self.chips = QHBoxLayout()
        self.chips.setContentsMargins(0, 0, 0, 0)
        self.chip_row = QWidget()
        self.chip_row.setLayout(self.chips)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(controls)
        layout.addWidget(self.chip_row)
        filters.changed.connect(lambda _f: self.show_filter())
        filters.sort_changed.connect(lambda _s: self.show_filter())
        self.show_filter()

    def _field(self, placeholder: str, field: str, width: int) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        edit.setMinimumWidth(60)
        edit.setMaximumWidth(width + 40)
        edit.editingFinished.connect(lambda: self.filters.set_value(field, edit.text()))
        return edit

    def set_folders(self, folders: list[str]) -> None:
        """The folder box lists ``folders``; left as it is when they are the ones it lists
        (the library is read again every few seconds while indexing: an open list stays
        open, the chosen folder chosen)."""
        if [self.folder.itemData(i) for i in range(1, self.folder.count())] == folders:
            return
        current = self.filters.filter.folder
        self.folder.blockSignals(True)
        self.folder.clear()
        self.folder.addItem(self.tr("All folders"), "")
        for path in folders:
            self.folder.addItem(os.path.basename(path.rstrip(os.sep)) or path, path)
        self.folder.blockSignals(False)
        self._select(self.folder, current or "")

    def show_filter(self) -> None:
        """The controls and chips follow the controller's filter and sort."""
        flt = self.filters.filter
        for edit, field in (
            (self.after, "after"),
            (self.before, "before"),
            (self.place, "place"),
            (self.camera, "camera"),
        ):
            shown = dict(self.filters.active()).get(field, "")
            if edit.text() != shown and not edit.hasFocus():
                edit.setText(shown)
        self._select(self.type, flt.types[0] if len(flt.types) == 1 else "")
        self._select(self.folder, flt.folder or "")
        self._select(self.sort, self.filters.sort)
        while self.chips.count():
            item = self.chips.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        labels = {
            "after": self.tr("from {value}"),
            "before": self.tr("before {value}"),
            "place": self.tr("place: {value}"),
            "camera": self.tr("camera: {value}"),
            "folder": self.tr("folder: {value}"),
            "types": self.tr("type: {value}"),
        }
        active = self.filters.active()
        for field, value in active:
            if field == "folder":
                value = os.path.basename(value.rstrip(os.sep)) or value
            chip = QPushButton(labels[field].format(value=value) + "  ✕")
            chip.setStyleSheet(CHIP_STYLE)
            chip.setToolTip(self.tr("Remove this filter"))
            chip.setObjectName(f"chip-{field}")
            chip.clicked.connect(lambda _=False, f=field: self._clear(f))
            self.chips.addWidget(chip)
        if active:
            clear = QPushButton(self.tr("Clear filters"))
            clear.setFlat(True)
            clear.clicked.connect(lambda: self._clear(None))
            self.chips.addWidget(clear)
        self.chips.addStretch(1)
        self.chip_row.setVisible(bool(active))

    def _clear(self, field: str | None) -> None:
        if field in (None, "folder") and self.filters.filter.folder:
            self.folder_cleared.emit()
        self.filters.clear(field)

    @staticmethod
    def _select(combo: QComboBox, data: str) -> None:
        index = combo.findData(data)
        if index >= 0 and index != combo.currentIndex():
            combo.setCurrentIndex(index)

"""The duplicates window: groups on the left, the selected group's copies side by side.

Layout only; app/gui/duplicates_controller.py decides. "Keep the best" asks first, then
the other copies of the group go to the system trash (they can be restored from there).
"""

from __future__ import annotations

import html
import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.gui import confirm
from app.gui.duplicates_controller import DuplicatesController
from app.gui.results_model import load_thumbnail
from app.gui.translator import counted, number
from index.duplicates import Copy, DuplicateGroup

CARD = 220  # thumbnail box of one copy


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


class DuplicatesDialog(QDialog):
    def __init__(self, controller: DuplicatesController, parent=None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(self.tr("Near-duplicates"))
        self.resize(1000, 600)
        self.summary = QLabel(self.tr("Looking for near-duplicates…"))
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0.80, 1.0)
        self.threshold.setSingleStep(0.005)
        self.threshold.setDecimals(3)
        self.threshold.setValue(controller.threshold)
        self.threshold.setPrefix(self.tr("Similarity ≥ "))
        self.threshold.setToolTip(self.tr("How alike two photos must be to count as copies"))
        self.find_button = QPushButton(self.tr("Find again"))
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.threshold)
        top.addWidget(self.find_button)

        self.group_list = QListWidget()
        self.group_list.setMaximumWidth(300)
        self.copies = QWidget()
        self.copies_layout = QHBoxLayout(self.copies)
        self.copies_layout.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.copies)
        self.keep_button = QPushButton(self.tr("Keep the best, move the others to the trash…"))
        self.keep_button.setEnabled(False)
        right = QVBoxLayout()
        right.addWidget(scroll, 1)
        right.addWidget(self.keep_button, 0, Qt.AlignmentFlag.AlignRight)
        middle = QHBoxLayout()
        middle.addWidget(self.group_list)
        middle.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)

        controller.groups_changed.connect(self.show_groups)
        controller.busy_changed.connect(self._show_busy)
        controller.error.connect(self.summary.setText)
        self.find_button.clicked.connect(lambda: controller.find(self.threshold.value()))
        self.group_list.currentRowChanged.connect(self._show_group)
        self.keep_button.clicked.connect(self.confirm_keep_best)

    def show_groups(self, groups: list[DuplicateGroup]) -> None:
        self.group_list.clear()
        if not groups:
            self.summary.setText(self.tr("No near-duplicates in the library."))
            self._show_group(-1)
            return
        spare = sum(len(g.others) for g in groups)
        found = counted(
            len(groups),
            self.tr("{count} group of near-duplicates;"),
            self.tr("{count} groups of near-duplicates;"),
        )
        extra = counted(
            spare,
            self.tr("{count} extra copy could go."),
            self.tr("{count} extra copies could go."),
        )
        self.summary.setText(f"{found} {extra}")
        for group in groups:
            self.group_list.addItem(
                self.tr("{count} copies · {name}").format(
                    count=number(len(group.copies)), name=os.path.basename(group.best.path)
                )
            )
        self.group_list.setCurrentRow(0)

    def current_group(self) -> DuplicateGroup | None:
        row = self.group_list.currentRow()
        groups = self.controller.groups
        return groups[row] if 0 <= row < len(groups) else None

    def _show_busy(self, busy: bool) -> None:
        self.find_button.setEnabled(not busy)
        if busy:
            self.summary.setText(self.tr("Looking for near-duplicates…"))

    def _show_group(self, _row: int) -> None:
        while self.copies_layout.count():
            widget = self.copies_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        group = self.current_group()
        self.keep_button.setEnabled(group is not None)
        if group is None:
            return
        for i, copy in enumerate(group.copies):
            self.copies_layout.addWidget(self._card(copy, best=i == 0))

    def _card(self, copy: Copy, *, best: bool) -> QWidget:
        card = QWidget()
        column = QVBoxLayout(card)
        picture = QLabel()
        picture.setFixedSize(CARD, CARD)
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        library = self.controller.session.library
        if library is not None:
            image = load_thumbnail(library.thumbs_dir, copy.photo_id, copy.path, CARD)
            picture.setPixmap(QPixmap.fromImage(image))
        similarity = self.tr("similarity {value:.3f}").format(value=copy.similarity)
        mark = self.tr("Best copy: kept") if best else similarity
        caption = QLabel(
            f"<b>{mark}</b><br>{html.escape(os.path.basename(copy.path))}<br>"
            f"{copy.width}×{copy.height} · {_size(copy.size)}"
        )
        caption.setToolTip(copy.path)
        caption.setWordWrap(True)
        caption.setMaximumWidth(CARD)
        column.addWidget(picture)
        column.addWidget(caption)
        return card

    def confirm_keep_best(self) -> None:
        group = self.current_group()
        if group is None:
            return
        n = len(group.others)
        question = counted(
            n,
            self.tr(
                "Keep {name} and move the other copy to the trash? It leaves the library too;"
                " you can restore it from the system trash."
            ),
            self.tr(
                "Keep {name} and move the {count} other copies to the trash? They leave the"
                " library too; you can restore them from the system trash."
            ),
            name=os.path.basename(group.best.path),
        )
        if confirm.ask(self, self.tr("Keep the best copy"), question):
            self.controller.keep_best(group)

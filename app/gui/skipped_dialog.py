"""A non-modal list of the files that could not be indexed, with the reason for each."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.gui.translator import counted
from app.messages import localized_text
from index.catalog import PhotoRow


class SkippedDialog(QDialog):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Skipped files"))
        self.setModal(False)
        self.resize(760, 360)
        self.summary = QLabel()
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("File"), self.tr("Reason")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def set_rows(self, rows: list[PhotoRow]) -> None:
        summary = counted(
            len(rows),
            self.tr(
                "{count} file could not be indexed. Fix or replace it; it is retried when it"
                " changes."
            ),
            self.tr(
                "{count} files could not be indexed. Fix or replace them; they are retried"
                " when they change."
            ),
        )
        self.summary.setText(summary if rows else self.tr("No skipped files."))
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            path = QTableWidgetItem(row.path)
            path.setToolTip(row.path)
            text = localized_text(row.reason) if row.reason else self.tr("unknown reason")
            reason = QTableWidgetItem(text)
            reason.setToolTip(text if row.reason else "")
            self.table.setItem(i, 0, path)
            self.table.setItem(i, 1, reason)

    def show_rows(self, rows: list[PhotoRow]) -> None:
        self.set_rows(rows)
        self.show()
        self.raise_()

    def rows(self) -> list[tuple[str, str]]:
        return [
            (self.table.item(i, 0).text(), self.table.item(i, 1).text())
            for i in range(self.table.rowCount())
        ]

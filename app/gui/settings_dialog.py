"""Settings: which model encodes the photos, and how many results a search shows."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.gui.settings import GuiSettings
from engine.registry import available_models

LIBRARY_MODEL = "(the library's model)"


class SettingsDialog(QDialog):
    def __init__(self, settings: GuiSettings, current_model: str | None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.addItems([LIBRARY_MODEL, *(choice.name for choice in available_models())])
        self.model.setCurrentText(settings.model or LIBRARY_MODEL)
        self.model.setToolTip("A model name, or a .sparse model file")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.model, 1)
        row.addWidget(browse)
        model_row = QWidget()
        model_row.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self.weights = QLineEdit(settings.weights or "")
        self.weights.setPlaceholderText("default (pretrained tag, checkpoint file, or random)")
        self.results = QSpinBox()
        self.results.setRange(1, 1000)
        self.results.setValue(settings.results)
        note = QLabel(
            f"In use: <b>{current_model or 'not loaded'}</b>. Changing the model re-encodes"
            " every photo in the library."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Model", model_row)
        form.addRow("Weights", self.weights)
        form.addRow("Results per page", self.results)
        form.addRow(note)
        form.addRow(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a model file", "", "Sparse models (*.sparse);;All files (*)"
        )
        if path:
            self.model.setCurrentText(path)

    def value(self) -> GuiSettings:
        model = self.model.currentText().strip()
        return GuiSettings(
            model=None if model in ("", LIBRARY_MODEL) else model,
            weights=self.weights.text().strip() or None,
            results=self.results.value(),
        )

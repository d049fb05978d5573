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
from app.language import LANGUAGE_ENV, LANGUAGES
from engine.registry import available_models


class SettingsDialog(QDialog):
    def __init__(self, settings: GuiSettings, current_model: str | None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.settings = settings
        self.library_model = self.tr("(the library's model)")
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.addItems([self.library_model, *(c.name for c in available_models())])
        self.model.setCurrentText(settings.model or self.library_model)
        self.model.setToolTip(self.tr("A model name, or a .sparse model file"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.model, 1)
        row.addWidget(browse)
        model_row = QWidget()
        model_row.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self.weights = QLineEdit(settings.weights or "")
        self.weights.setPlaceholderText(
            self.tr("default (pretrained tag, checkpoint file, or random)")
        )
        self.results = QSpinBox()
        self.results.setRange(1, 1000)
        self.results.setValue(settings.results)
        self.language = QComboBox()
        self.language.addItem(self.tr("System language"), None)
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.language.setToolTip(
            self.tr("Shown from the next start; the {variable} variable overrides it").format(
                variable=LANGUAGE_ENV
            )
        )
        note = QLabel(
            self.tr(
                "In use: <b>{model}</b>. Changing the model re-encodes every photo in the library."
            ).format(model=current_model or self.tr("not loaded"))
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Model"), model_row)
        form.addRow(self.tr("Weights"), self.weights)
        form.addRow(self.tr("Results per page"), self.results)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(note)
        form.addRow(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a model file"),
            "",
            self.tr("Sparse models (*.sparse);;All files (*)"),
        )
        if path:
            self.model.setCurrentText(path)

    def value(self) -> GuiSettings:
        model = self.model.currentText().strip()
        return GuiSettings(
            model=None if model in ("", self.library_model) else model,
            weights=self.weights.text().strip() or None,
            results=self.results.value(),
            thumb=self.settings.thumb,
            language=self.language.currentData(),
        )

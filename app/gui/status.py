"""Status bar contents: photo count, and while indexing a progress bar with rate and ETA."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar

from app.gui.elided_label import ElidedLabel
from app.gui.translator import counted, number
from app.summaries import index_summary
from index.pipeline import IndexSummary, Progress


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = int(round(seconds))
    if seconds >= 3600:
        text = QCoreApplication.translate("StatusArea", "{hours} h {minutes:02d} min")
        return text.format(hours=seconds // 3600, minutes=seconds % 3600 // 60)
    if seconds >= 60:
        text = QCoreApplication.translate("StatusArea", "{minutes} min {seconds:02d} s")
        return text.format(minutes=seconds // 60, seconds=seconds % 60)
    return QCoreApplication.translate("StatusArea", "{seconds} s").format(seconds=seconds)


class StatusArea:
    """Fills a QStatusBar; emits ``pause_toggled(bool)`` through its button."""

    def __init__(self, bar: QStatusBar) -> None:
        self.bar = bar
        self.count = ElidedLabel(
            QCoreApplication.translate("StatusArea", "opening library…"),
            mode=Qt.TextElideMode.ElideRight,
        )
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.note = ElidedLabel(mode=Qt.TextElideMode.ElideRight)  # never hides the count
        self.note.setStyleSheet("color: palette(mid);")
        self.rate = QLabel()
        self.text_pass = QLabel()  # the OCR pass, apart from the vector pass
        self.pause = QPushButton(QCoreApplication.translate("StatusArea", "Pause"))
        self.pause.setCheckable(True)
        self.pause.toggled.connect(self._pause_toggled)
        bar.addWidget(self.count, 1)
        bar.addWidget(self.note, 1)
        bar.addPermanentWidget(self.text_pass)
        bar.addPermanentWidget(self.rate)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.pause)
        self.set_idle()

    def _pause_toggled(self, paused: bool) -> None:
        resume = QCoreApplication.translate("StatusArea", "Resume")
        self.pause.setText(resume if paused else QCoreApplication.translate("StatusArea", "Pause"))
        if paused:
            self.rate.setText(QCoreApplication.translate("StatusArea", "paused"))

    @property
    def pause_toggled(self) -> Signal:
        return self.pause.toggled

    def set_count(self, photos: int, extra: str = "") -> None:
        text = counted(
            photos,
            QCoreApplication.translate("StatusArea", "{count} photo in the library"),
            QCoreApplication.translate("StatusArea", "{count} photos in the library"),
        )
        self.count.set_full_text(text + (f" · {extra}" if extra else ""))

    def set_text(self, text: str) -> None:
        """A state without a count yet ("loading model…", "no library")."""
        self.count.set_full_text(text)

    def set_progress(self, state: Progress | None) -> None:
        """Show the bar; ``None`` or a total of 0: indexing has begun (scanning), nothing
        counted yet, so a busy bar rather than "0 / 1"."""
        for widget in (self.progress, self.rate, self.pause):
            widget.show()
        if state is None or state.total == 0:
            self.progress.setRange(0, 0)  # busy, no total yet
            self.rate.setText("")
            return
        self.progress.setMaximum(max(state.total, 1))
        self.progress.setValue(state.done)
        # the numbers put in here: Qt's own %v and %m are shown without digit grouping
        done_of = QCoreApplication.translate("StatusArea", "indexing %v / %m")
        self.progress.setFormat(
            done_of.replace("%v", number(state.done)).replace("%m", number(state.total))
        )
        if self.pause.isChecked():
            self.rate.setText(QCoreApplication.translate("StatusArea", "paused"))
            return
        rate = QCoreApplication.translate("StatusArea", "{rate:.1f} photos/s · ETA {eta}")
        skipped = QCoreApplication.translate("StatusArea", " · {count} skipped")
        self.rate.setText(
            rate.format(rate=state.rate, eta=format_eta(state.eta_s))
            + (skipped.format(count=number(state.skipped)) if state.skipped else "")
        )

    def set_text_progress(self, state: Progress) -> None:
        """Text in photos is read after indexing; its own line, gone when done."""
        busy = state.done < state.total
        reading = QCoreApplication.translate("StatusArea", "reading text {done} / {total}")
        done, total = number(state.done), number(state.total)
        self.text_pass.setText(reading.format(done=done, total=total) if busy else "")

    def set_finished(self, summary: IndexSummary) -> None:
        self.set_idle()
        last = QCoreApplication.translate("StatusArea", "· last indexing: {summary}")
        self.note.set_full_text(last.format(summary=index_summary(summary, number)))

    def set_idle(self) -> None:
        for widget in (self.progress, self.rate, self.pause):
            widget.hide()

"""The installed Qt binding itself: a release that breaks the window is kept out by
pyproject.toml, and this test says so if one comes back."""

from __future__ import annotations

import sys

from PySide6.QtGui import QImage, QPainter


def test_qt_calls_that_return_nothing_leave_none_alive(qapp):
    # PySide6 6.12.0 on Python 3.11 took a reference from None on every such call; the
    # window aborted ("none_dealloc") after minutes of painting. From Python 3.12 None is
    # immortal and its count does not move.
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    before = sys.getrefcount(None)
    for _ in range(2000):
        painter.save()
        painter.restore()
    after = sys.getrefcount(None)
    painter.end()
    assert after >= before - 100

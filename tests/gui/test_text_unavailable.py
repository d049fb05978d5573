"""Where the OCR engine cannot be loaded, the window still searches by content and says
once, in its banner, why the text in photos is not searched."""

from __future__ import annotations

import sys


def test_the_window_says_once_why_text_search_is_unavailable(
    make_window, qtbot, own_library, monkeypatch
):
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # `import rapidocr` now fails
    library, _ = own_library
    notes: list[str] = []
    window = make_window(library)
    window.controller.message.connect(
        lambda text, kind: notes.append(text) if "text-in-photo" in text.lower() else None
    )
    with qtbot.waitSignal(window.controller.ready, timeout=120_000):
        pass
    assert len(notes) == 1 and "unavailable" in notes[0]
    assert window.banner.text() == notes[0]

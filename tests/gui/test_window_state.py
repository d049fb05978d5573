"""The window reopens at the size and pane widths the user left it with."""

from __future__ import annotations


def test_size_and_pane_widths_are_remembered(make_window, qtbot, tmp_path):
    window = make_window(tmp_path / "library")
    with qtbot.waitSignal(window.controller.ready, timeout=120_000):
        pass
    window.resize(1000, 640)
    window.splitter.setSizes([180, 520, 260])
    qtbot.wait(50)
    sizes = window.splitter.sizes()
    window.close()

    again = make_window(tmp_path / "library")
    qtbot.waitExposed(again)
    assert (again.width(), again.height()) == (1000, 640)
    assert again.splitter.sizes() == sizes


def test_the_preview_can_be_closed_and_stays_closed(make_window, qtbot, tmp_path):
    window = make_window(tmp_path / "library")
    with qtbot.waitSignal(window.controller.ready, timeout=120_000):
        pass
    window.resize(1000, 640)
    window.splitter.setSizes([180, 780, 0])  # the preview dragged shut
    qtbot.wait(50)
    assert window.splitter.sizes()[2] == 0
    window.close()

    again = make_window(tmp_path / "library")
    qtbot.waitExposed(again)
    assert again.splitter.sizes()[2] == 0 and again.splitter.sizes()[1] > 700

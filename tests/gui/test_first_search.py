"""The window's first search finds the model ready: its tokenizer was built while the model
loaded. Building it holds Python's GIL for tens of ms, which stopped the event loop while
the user typed the first query (bench.browse, typing row)."""

from __future__ import annotations

from engine.spec import ModelSpec

from .conftest import open_ready


def test_the_first_search_builds_no_tokenizer(make_window, qtbot, indexed_library, monkeypatch):
    built = []
    plain = ModelSpec.tokenizer
    monkeypatch.setattr(ModelSpec, "tokenizer", lambda spec: built.append(spec) or plain(spec))
    window, controller = open_ready(make_window, qtbot, indexed_library)
    assert len(built) == 1  # while the model loaded
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        qtbot.keyClicks(window.search, "a red circle")
    assert controller.search.outcome.items
    assert len(built) == 1

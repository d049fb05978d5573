"""The window shows where good matches end, says when none is good, and reads expressions."""

from __future__ import annotations

from app.gui.results_model import GoodRole
from app.gui.search_jobs import NO_GOOD

from .conftest import needs_demo_model


def _search(qtbot, controller, text: str):
    with qtbot.waitSignal(controller.search.results_changed, timeout=60_000) as shown:
        controller.search.search_text(text)
    return shown.args[0]


def _ready(make_window, qtbot, library):
    window = make_window(library)
    with qtbot.waitSignal(window.controller.ready, timeout=120_000):
        pass
    return window, window.controller


@needs_demo_model
def test_nonsense_says_no_good_matches_and_still_shows_the_closest(
    make_window, qtbot, indexed_library
):
    window, controller = _ready(make_window, qtbot, indexed_library)
    outcome = _search(qtbot, controller, "asdfgh")
    assert outcome.items and not any(item.good for item in outcome.items)
    assert window.header.full_text().startswith(NO_GOOD)
    assert window.results_model.index(0).data(GoodRole) is False


@needs_demo_model
def test_a_real_query_shows_its_good_matches_first(make_window, qtbot, indexed_library):
    window, controller = _ready(make_window, qtbot, indexed_library)
    outcome = _search(qtbot, controller, "a red circle")
    flags = [item.good for item in outcome.items]
    assert flags[0] and flags == sorted(flags, reverse=True)
    assert "good match" in window.header.full_text()


def test_a_query_in_another_script_gets_a_language_note(make_window, qtbot, indexed_library):
    window, controller = _ready(make_window, qtbot, indexed_library)
    _search(qtbot, controller, "красный круг")  # the demo models read English and Chinese
    assert "English only" in window.header.full_text()


def test_the_search_field_takes_expressions_and_names_a_malformed_one(
    make_window, qtbot, indexed_library
):
    window, controller = _ready(make_window, qtbot, indexed_library)
    assert _search(qtbot, controller, "circle - red + 2:square").items
    with qtbot.waitSignal(controller.message, timeout=30_000) as message:
        controller.search.search_text("circle +")
    assert "missing text" in message.args[0]

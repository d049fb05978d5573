"""Once the window is ready, what it has built is kept out of the cyclic GC's full
collections: one holds Python's GIL, stopping the event loop, for as long as it traverses
the objects (bench.full_collection)."""

from __future__ import annotations

import gc

from .conftest import open_ready


def test_a_full_collection_after_the_window_is_ready_traverses_little(
    make_window, qtbot, own_library
):
    library, _ = own_library
    open_ready(make_window, qtbot, library)
    assert len(gc.get_objects()) < 2_000  # (about 15,000 when it was not)

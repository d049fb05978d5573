"""The window answers `photosearch search` from other processes while it runs (the same
answers as its own search box), and stops when it closes."""

from __future__ import annotations

from app import query_protocol as protocol
from app.query_client import ask
from app.query_endpoint import socket_path

from .conftest import open_ready


def test_the_window_serves_searches_while_open(make_window, qtbot, own_library):
    library, _ = own_library
    window, controller = open_ready(make_window, qtbot, library)
    root = library.absolute()
    reply = ask(root, {"v": protocol.VERSION, "text": "a red circle", "k": 5})
    assert reply is not None and reply["ok"], reply
    own = controller.session.by_text("a red circle", 5)
    assert [r["fields"]["path"] for r in reply["results"]] == [r.path for r in own]
    assert [r["fields"]["good"] for r in reply["results"]] == [r.good for r in own]
    window.close()
    assert ask(root, {"v": protocol.VERSION, "op": protocol.PING}) is None
    assert not socket_path(root).exists()

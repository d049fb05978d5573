"""The query endpoint where Unix sockets are missing (Windows): loopback TCP and a random
token in a user-only file; and the socket name when the library's path is too long."""

from __future__ import annotations

import json
import os
import socket
import stat

from app import query_protocol as protocol
from app.query_client import ask
from app.query_endpoint import ENDPOINT_FILE, socket_path
from app.query_handler import search_handler
from app.query_server import QueryServer

PING = {"v": protocol.VERSION, "op": protocol.PING}


def test_loopback_endpoint_needs_its_token_and_goes_away_on_stop(tmp_path):
    server = QueryServer(tmp_path, search_handler(lambda: None), loopback=True).start()
    try:
        endpoint = tmp_path / ENDPOINT_FILE
        assert stat.S_IMODE(os.stat(endpoint).st_mode) == 0o600
        port = json.loads(endpoint.read_text())["port"]
        reply = ask(tmp_path, dict(PING))  # the client reads the token from the file
        assert reply["ok"] and reply["pid"] == os.getpid()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(protocol.encode({**PING, "token": "guessed"}))
            refused = json.loads(s.makefile("rb").readline())
        assert refused["error"]["kind"] == protocol.FORBIDDEN
        search = ask(tmp_path, {"v": protocol.VERSION, "text": "a dog"})
        assert search["error"]["kind"] == protocol.NOT_READY  # no model loaded yet
    finally:
        server.stop()
    assert not (tmp_path / ENDPOINT_FILE).exists()
    assert ask(tmp_path, dict(PING)) is None


def test_a_library_path_too_long_for_a_socket_gets_a_short_private_name(tmp_path):
    deep = tmp_path / ("x" * 120) / "library"
    path = socket_path(deep)
    assert len(os.fsencode(path)) < 108  # sun_path, with its NUL
    assert str(os.getuid()) in path.name and path == socket_path(deep)
    deep.mkdir(parents=True)
    server = QueryServer(deep, search_handler(lambda: None)).start()
    try:
        assert ask(deep, dict(PING))["ok"]
    finally:
        server.stop()
    assert not path.exists()

"""The query service's server: answers requests (app/query_protocol.py) on the library's
endpoint (app/query_endpoint.py) from threads of its own, for as long as ``watch`` or the
window runs.

It only reads the library, so killing it loses nothing. A bad request gets a refusal and
the connection stays usable; a client that disconnects, stalls or sends garbage costs one
connection thread, never the server.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from app import query_protocol as protocol
from app.query_endpoint import Listener, listen, peer_is_same_user

log = logging.getLogger("photosearch")

IDLE_S = 30.0  # a connection silent this long is closed
ACCEPT_POLL_S = 0.25  # how often the accept loop looks at the stop flag

Handler = Callable[[dict], dict]  # a checked request -> an answer or a refusal


class QueryServer:
    def __init__(self, root: Path, handle: Handler, *, loopback: bool | None = None) -> None:
        self.root = root
        self.handle = handle
        self.loopback = loopback
        self._listener: Listener | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._connections: dict[threading.Thread, socket.socket] = {}
        self._guard = threading.Lock()

    @property
    def address(self) -> str | None:
        return self._listener.address if self._listener else None

    def start(self) -> QueryServer:
        """Listen (replacing a crashed server's endpoint); OSError when it cannot."""
        self._listener = listen(self.root, loopback=self.loopback)
        self._listener.sock.settimeout(ACCEPT_POLL_S)
        self._thread = threading.Thread(target=self._accept_loop, name="query-service", daemon=True)
        self._thread.start()
        log.debug("answering queries at %s", self._listener.address)
        return self

    def stop(self) -> None:
        """Stop listening and end the open connections (their threads are joined)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._guard:
            open_now = list(self._connections.items())
        for thread, conn in open_now:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            thread.join(timeout=5)
        if self._listener is not None:
            self._listener.remove()
            self._listener.sock.close()
            self._listener = None

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                if self._stop.is_set():
                    return
                continue
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            with self._guard:
                self._connections[thread] = conn
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self._converse(conn)
        finally:
            with self._guard:
                self._connections.pop(threading.current_thread(), None)

    def _converse(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):  # the client went away: nothing to do
            if not peer_is_same_user(conn):
                return
            conn.settimeout(IDLE_S)
            reader = conn.makefile("rb")
            while not self._stop.is_set():
                line = reader.readline(protocol.MAX_LINE + 1)
                if not line:
                    return
                if len(line) > protocol.MAX_LINE:
                    conn.sendall(
                        protocol.encode(protocol.refusal(protocol.BAD_REQUEST, "request too long"))
                    )
                    return
                conn.sendall(protocol.encode(self._answer(line)))

    def _answer(self, line: bytes) -> dict:
        try:
            request = protocol.check_request(protocol.decode(line))
            token = self._listener.token if self._listener else None
            if token is not None and not secrets.compare_digest(request["token"] or "", token):
                return protocol.refusal(protocol.FORBIDDEN, "wrong or missing token")
            return self.handle(request)
        except protocol.ProtocolError as exc:
            return protocol.refusal(exc.kind, str(exc))
        except Exception as exc:  # a bug in one request must not stop the service
            log.debug("query service: %s", exc, exc_info=True)
            return protocol.refusal(protocol.INTERNAL, f"{type(exc).__name__}: {exc}")

"""Where a library's query service listens, reachable only by the same user.

Linux and macOS: a Unix socket, mode 0600, in the library folder (``query.sock``; when
that path is too long for a socket address, a name derived from it in the user's runtime
folder). Only the library's writer serves (``watch`` or the window), and it holds the
library's write lock, so a socket file found at start-up is a crashed server's: it is
replaced. Windows (and wherever Unix sockets are missing): TCP on 127.0.0.1 with a random
token, both in ``query.endpoint`` in the library folder (mode 0600 where modes apply; on
Windows the library lives in the user's profile, which only that user can read), and
every request must carry the token. Light: the client imports it.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import stat
from collections.abc import Callable
from pathlib import Path

SOCKET_FILE = "query.sock"
ENDPOINT_FILE = "query.endpoint"
MAX_SOCKET_PATH = 100  # bytes; sun_path holds 108 on Linux, 104 on macOS (with the NUL)


def unix_sockets() -> bool:
    return hasattr(socket, "AF_UNIX") and os.name != "nt"


def socket_path(root: Path) -> Path:
    path = root / SOCKET_FILE
    if len(os.fsencode(path)) <= MAX_SOCKET_PATH:
        return path
    import hashlib
    import tempfile

    digest = hashlib.sha256(os.fsencode(root)).hexdigest()[:16]
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return Path(base) / f"photosearch-{os.getuid()}-{digest}.sock"


class Listener:  # a plain class: the client imports this module, and dataclasses is slow
    def __init__(
        self, sock: socket.socket, token: str | None, address: str, remove: Callable[[], None]
    ) -> None:
        self.sock = sock
        self.token = token  # the loopback endpoint's; None for a Unix socket
        self.address = address
        self.remove = remove  # take the endpoint away (if it is still this one)


def listen(root: Path, *, loopback: bool | None = None) -> Listener:
    """Listen for this library (``loopback``: force the Windows kind, for tests)."""
    if loopback if loopback is not None else not unix_sockets():
        return _listen_loopback(root)
    path = socket_path(root)
    _remove_stale(path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(str(path))
        os.chmod(path, 0o600)  # before listen(): until then every connect is refused
        sock.listen(16)
    except OSError:
        sock.close()
        raise
    inode = os.stat(path).st_ino

    def remove() -> None:
        with contextlib.suppress(OSError):
            if os.stat(path).st_ino == inode:
                os.unlink(path)

    return Listener(sock, None, str(path), remove)


def _remove_stale(path: Path) -> None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISSOCK(st.st_mode) or st.st_uid != os.getuid():
        raise OSError(f"{path} exists and is not this user's query socket")
    os.unlink(path)


def _listen_loopback(root: Path) -> Listener:
    import secrets

    sock = socket.create_server(("127.0.0.1", 0))
    token = secrets.token_urlsafe(32)
    port = sock.getsockname()[1]
    path = root / ENDPOINT_FILE
    tmp = path.with_name(f"{ENDPOINT_FILE}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"port": port, "token": token, "pid": os.getpid()}, f)
    os.replace(tmp, path)

    def remove() -> None:
        with contextlib.suppress(OSError, ValueError):
            if json.loads(path.read_text()).get("token") == token:
                path.unlink()

    return Listener(sock, token, f"127.0.0.1:{port}", remove)


def connect(root: Path, timeout: float) -> tuple[socket.socket, str | None] | None:
    """A connection to the library's service and the token to send, or None if none answers
    (no endpoint, a stale one left by a crash, or another user's)."""
    found = _connect_unix(socket_path(root), timeout) if unix_sockets() else None
    return found or _connect_loopback(root / ENDPOINT_FILE, timeout)


def _connect_unix(path: Path, timeout: float) -> tuple[socket.socket, None] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISSOCK(st.st_mode) or st.st_uid != os.getuid():
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(str(path))
    except OSError:  # refused: nothing listens (a crashed server's file)
        sock.close()
        return None
    return sock, None


def _connect_loopback(path: Path, timeout: float) -> tuple[socket.socket, str] | None:
    try:
        endpoint = json.loads(path.read_text())
        port, token = int(endpoint["port"]), str(endpoint["token"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        return socket.create_connection(("127.0.0.1", port), timeout=timeout), token
    except OSError:
        return None


def peer_is_same_user(conn: socket.socket) -> bool:
    """Linux checks the peer's uid too (SO_PEERCRED); elsewhere the 0600 mode or the token
    is the check."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None or conn.family != getattr(socket, "AF_UNIX", None):
        return True
    import struct

    creds = conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid == os.getuid()

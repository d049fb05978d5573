"""`photosearch search` from another shell while `watch` runs: answered by its query
service without loading the model, exactly as the in-process search answers, and by the
in-process search whenever the service is gone."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import time

import pytest
from cli_support import REPO, copy_shared_photos, imported
from service_support import (
    index_library,
    search,
    search_cmd,
    serving,
    sock_of,
    start_watch,
    user_lines,
)

from app import query_protocol as protocol

pytestmark = pytest.mark.timeout(900)
HEAVY = {"torch", "open_clip"}


@pytest.fixture(scope="module")
def watched(tmp_path_factory):
    root = tmp_path_factory.mktemp("service")
    library = root / "library"
    index_library(copy_shared_photos(root / "photos"), library)
    proc = start_watch(library)
    yield library, proc
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)


def test_socket_is_only_for_this_user(watched):
    library, _ = watched
    mode = os.stat(sock_of(library)).st_mode
    assert stat.S_ISSOCK(mode) and stat.S_IMODE(mode) == 0o600


@pytest.mark.parametrize(
    "query",
    [
        ("a dog on the grass", "-k", "5"),
        ("cat + flowers - people", "-k", "4", "--good-only", "--json"),
    ],
    ids=["text", "expression-json"],
)
def test_service_answers_like_the_in_process_search_without_loading_the_model(watched, query):
    library, _ = watched
    served = search(library, *query)
    local = search(library, *query, "--no-service")
    assert served.returncode == 0 and local.returncode == 0, served.stderr[-2000:]
    assert not imported(served.stderr) & HEAVY, "the client loaded the model"
    assert imported(local.stderr) & HEAVY, "--no-service must search in this process"
    assert served.stdout == local.stdout
    assert user_lines(served.stderr) == user_lines(local.stderr)
    if "--json" in query:
        assert all("good" in r for r in json.loads(served.stdout))


def test_bad_requests_get_one_line_refusals_and_the_service_keeps_answering(watched):
    library, _ = watched
    path = str(sock_of(library))

    def exchange(payload: bytes) -> dict:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(30)
            s.connect(path)
            s.sendall(payload)
            return json.loads(s.makefile("rb").readline())

    cases = {
        b"not json\n": protocol.BAD_REQUEST,
        b"[1, 2]\n": protocol.BAD_REQUEST,
        b'{"v": 99, "text": "dog"}\n': protocol.UNSUPPORTED,
        b'{"v": 1, "text": "dog", "colour": "red"}\n': protocol.BAD_REQUEST,
        b'{"v": 1, "text": "dog", "k": "ten"}\n': protocol.BAD_REQUEST,
        b'{"v": 1, "text": "dog", "k": true}\n': protocol.BAD_REQUEST,
        b'{"v": 1, "op": "delete"}\n': protocol.UNSUPPORTED,
        b'{"v": 1, "text": "   "}\n': protocol.USAGE,
        b'{"v": 1, "text": "- people"}\n': protocol.USAGE,
        b'{"v": 1, "text": "dog", "k": 0}\n': protocol.USAGE,
        b"x" * (protocol.MAX_LINE + 10) + b"\n": protocol.BAD_REQUEST,
    }
    for payload, kind in cases.items():
        reply = exchange(payload)
        assert reply["v"] == protocol.VERSION and reply["ok"] is False, payload[:40]
        assert reply["error"]["kind"] == kind, (payload[:40], reply)
        assert "\n" not in reply["error"]["message"]
    for _ in range(3):  # clients that hang up mid-request or mid-answer
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(path)
            s.sendall(b'{"v": 1, "text": "a dog"')
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(path)
            s.sendall(b'{"v": 1, "text": "a dog", "k": 50}\n')
    reply = exchange(b'{"v": 1, "text": "a dog", "k": 3}\n')
    assert reply["ok"] and len(reply["results"]) == 3


def test_killed_mid_query_the_client_answers_in_process_and_a_new_watch_serves(tmp_path):
    library = tmp_path / "library"
    index_library(copy_shared_photos(tmp_path / "photos"), library)
    expected = search(library, "a red car", "-k", "3", "--no-service")
    assert expected.returncode == 0, expected.stderr
    watch = start_watch(library)
    try:
        # Stopped, the server still has the client's connection accepted by the kernel:
        # the client is mid-query when the server dies.
        watch.send_signal(signal.SIGSTOP)
        client = subprocess.Popen(
            search_cmd(library, "a red car", "-k", "3"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        time.sleep(3)  # the request is sent and waits for its answer
        assert client.poll() is None
        watch.send_signal(signal.SIGKILL)
        watch.wait(timeout=60)
        out, err = client.communicate(timeout=300)
        assert client.returncode == 0, err[-2000:]
        assert out == expected.stdout
        assert imported(err) & HEAVY  # answered in-process
        assert sock_of(library).exists()  # the crashed server's socket is left behind

        stale = search(library, "a red car", "-k", "3")  # refused at once: in-process
        assert stale.returncode == 0 and stale.stdout == expected.stdout

        watch = start_watch(library)  # replaces the stale socket
        assert serving(library)
        served = search(library, "a red car", "-k", "3")
        assert served.stdout == expected.stdout and not imported(served.stderr) & HEAVY
    finally:
        if watch.poll() is None:
            watch.send_signal(signal.SIGCONT)
            watch.send_signal(signal.SIGTERM)
            watch.wait(timeout=120)

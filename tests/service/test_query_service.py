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
    ping,
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
    photos = copy_shared_photos(root / "photos")
    (photos / "sub").mkdir()
    for photo in sorted(photos.iterdir())[:4]:  # a folder to filter by
        if photo.is_file():
            photo.rename(photos / "sub" / photo.name)
    index_library(photos, library)
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


def assert_served_like_in_process(library, args, command="search"):
    """The same output, byte for byte, through the service (no model, no catalog opened in
    the client) as in this process; run from the library's parent folder, so relative
    paths mean something else to the service (which runs elsewhere)."""
    cwd = library.parent
    served = search(library, *args, command=command, cwd=cwd)
    local = search(library, *args, "--no-service", command=command, cwd=cwd)
    assert served.returncode == 0 and local.returncode == 0, local.stderr[-2000:]
    assert not imported(served.stderr) & (HEAVY | {"sqlite3"}), "not answered by the service"
    assert "sqlite3" in imported(local.stderr), "--no-service must answer in this process"
    assert served.stdout == local.stdout
    assert user_lines(served.stderr) == user_lines(local.stderr)
    return served


@pytest.mark.parametrize(
    "query",
    [
        ("a cat", "--type", "png,jpeg", "--orientation", "landscape", "--min-size", "200"),
        ("a dog", "--folder", "photos/sub", "--sort", "date"),
        ("a rocket", "--after", "2001", "--before", "2100-01", "--sort", "date", "--json"),
        ("coffee", "--camera", "Canon", "--place", "Paris"),  # none pass: the filtered message
    ],
    ids=["type-orientation-size", "folder-by-date", "dates-json", "nothing-passes"],
)
def test_filtered_and_date_sorted_searches_are_answered_by_the_service(watched, query):
    library, _ = watched
    served = assert_served_like_in_process(library, query)
    assert served.stdout.strip()


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--limit", "3", "--oldest-first"),
        ("--folder", "photos/sub", "--json"),
        ("--type", "heic"),
    ],
    ids=["all", "limit-oldest", "folder-json", "none-pass"],
)
def test_list_is_answered_by_the_service(watched, args):
    library, _ = watched
    served = assert_served_like_in_process(library, args, command="list")
    assert served.stdout.strip()


def test_device_other_than_the_services_searches_in_this_process(watched):
    """The service encodes the query on its own device; a client that names another one
    gets what it asked for from the in-process search (or its one-line error)."""
    library, _ = watched
    own = ping(library)["device"]
    assert own in ("cpu", "cuda", "mps")
    assert_served_like_in_process(library, ("a red car", "--device", own))
    other = "mps" if own != "mps" else "cpu"
    for how in (("--device", other), ()):
        env = {} if how else {"PHOTOSEARCH_DEVICE": other}
        asked = search(library, "a red car", *how, env=env)
        local = search(library, "a red car", *how, "--no-service", env=env)
        assert imported(asked.stderr) & HEAVY, "another device: answered in this process"
        assert asked.returncode == local.returncode and asked.stdout == local.stdout
        assert user_lines(asked.stderr) == user_lines(local.stderr)


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
        b'{"v": 1, "text": "dog", "filter": {"colour": "red"}}\n': protocol.BAD_REQUEST,
        b'{"v": 1, "text": "dog", "filter": {"after": 2024}}\n': protocol.BAD_REQUEST,
        b'{"v": 1, "text": "dog", "filter": {"after": "yesterday"}}\n': protocol.USAGE,
        b'{"v": 1, "text": "dog", "sort": "size"}\n': protocol.BAD_REQUEST,
        b'{"v": 1, "op": "list", "limit": -1}\n': protocol.USAGE,
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

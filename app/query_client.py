"""`photosearch search` and `photosearch list` through the query service of a running
``watch`` or window: every form of them (filters, ``--sort``, ``--json``, ...).

The command line calls :func:`search_through_service` before it imports anything heavy;
this path imports neither torch nor open_clip (nor numpy, nor the catalog), so a search
from a new shell answers in a fraction of a cold start. ``--device`` (or its env) naming
another device than the service's is not answered here: the in-process search then runs
where it was asked to. Whenever the service cannot answer (none runs, a crashed one's
socket, a refusal, a timeout, a request it does not understand) it returns None and the
command line searches in-process as before, which also prints every error message
exactly as it always has.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app import query_protocol as protocol
from app.global_options import add_global_options, device_choice
from app.library_location import library_dir
from app.search_args import (
    DATE,
    NO_SERVICE_ENV,
    add_list_arguments,
    add_search_arguments,
    filter_values,
)
from app.search_output import print_listing, print_notes, print_results

CONNECT_TIMEOUT_S = 0.5  # a live service accepts at once; a dead one refuses at once
ANSWER_TIMEOUT_S = 10.0  # a busy one (indexing on the same cores) may take a moment


class RemoteResult:
    """A result as the service sent it: what --json prints, and the exact score."""

    __slots__ = ("fields", "score")

    def __init__(self, fields: dict, score: float) -> None:
        self.fields = fields
        self.score = score

    @property
    def rank(self) -> int:
        return self.fields["rank"]

    @property
    def path(self) -> str:
        return self.fields["path"]

    @property
    def good(self) -> bool:
        return self.fields["good"]

    @property
    def text(self) -> str | None:
        return self.fields.get("text")

    @property
    def meta(self) -> RemoteMeta | None:
        meta = self.fields.get("meta")
        return RemoteMeta(meta) if meta is not None else None

    def as_dict(self) -> dict:
        return self.fields


class RemoteMeta:
    """What the output reads of a result's metadata, from its ``--json`` form."""

    __slots__ = ("fields",)

    def __init__(self, fields: dict) -> None:
        self.fields = fields

    def taken_iso(self) -> str | None:
        return self.fields["taken"]

    @property
    def date_source(self) -> str:
        return self.fields["date_source"]

    @property
    def place(self) -> str | None:
        return self.fields["place"]

    @property
    def camera(self) -> str | None:
        return self.fields["camera"]


class _NotForUs(Exception):
    """Not a search or listing (or not valid): the full command line decides."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        raise _NotForUs(message)

    def exit(self, status: int = 0, message: str | None = None):  # type: ignore[override]
        raise _NotForUs(message)


def _parser() -> _Parser:
    parser = _Parser(prog="photosearch", add_help=False)
    add_global_options(parser, default=None, brief=True)
    sub = parser.add_subparsers(dest="command")
    for name, add_arguments in (("search", add_search_arguments), ("list", add_list_arguments)):
        command = sub.add_parser(name, add_help=False)
        add_arguments(command)
        add_global_options(command, default=argparse.SUPPRESS, brief=True)
    return parser


def bypassed() -> bool:
    return os.environ.get(NO_SERVICE_ENV, "") not in ("", "0")


def search_through_service(argv: list[str]) -> int | None:
    """Answer ``photosearch search ...`` or ``photosearch list ...`` through the service:
    the exit code, or None when the in-process command must answer instead."""
    if not {"search", "list"} & set(argv) or bypassed() or "-h" in argv or "--help" in argv:
        return None
    try:
        args = _parser().parse_args(argv)
    except _NotForUs:
        return None
    if args.command not in ("search", "list") or args.no_service:
        return None
    request = _request(args)
    reply = ask(library_dir(args.library).absolute(), request)
    if reply is None or not reply.get("ok"):
        if args.debug:
            why = (reply or {}).get("error", {}).get("message", "no service answers")
            print(f"query service: {why}; answering in this process", file=sys.stderr)
        return None
    try:
        results = [RemoteResult(r["fields"], float(r["score"])) for r in reply["results"]]
        notes, empty, total = list(reply["notes"]), str(reply["empty"]), reply["total"]
    except (KeyError, TypeError, ValueError):
        return None
    if args.command == "list":
        print_listing(results, args.json, empty, total)
        return 0
    print_notes(notes)
    print_results(results, args.json, empty, dated=args.sort == DATE)
    return 0


def _request(args: argparse.Namespace) -> dict:
    request: dict = {"v": protocol.VERSION, "op": args.command, "filter": filter_values(args)}
    if args.command == "list":
        return {**request, "limit": args.limit, "oldest_first": args.oldest_first}
    request.update(
        text=args.text,
        images=[os.path.abspath(p) for p in args.image],
        k=args.k,
        good_only=args.good_only,
        text_only=args.text_only,
        sort=args.sort,
        device=device_choice(args.device),
    )
    if args.model is not None or args.weights is not None:
        request.update(model=args.model, weights=args.weights)
    return request


def ask(root: Path, request: dict, timeout: float = ANSWER_TIMEOUT_S) -> dict | None:
    """One request to the library's service: its reply, or None if none answered."""
    from app.query_endpoint import connect  # sockets: not for the commands that never ask

    found = connect(root, CONNECT_TIMEOUT_S)
    if found is None:
        return None
    sock, token = found
    if token is not None:
        request = {**request, "token": token}
    with sock:
        try:
            sock.settimeout(timeout)
            sock.sendall(protocol.encode(request))
            line = sock.makefile("rb").readline(protocol.MAX_LINE * 64)
            return protocol.decode(line) if line.endswith(b"\n") else None
        except (TimeoutError, OSError, protocol.ProtocolError):
            return None

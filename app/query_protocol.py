"""The query service's wire format: one JSON object per line, each way.

A request is a dict that can grow: ``{"v": 1, "op": "search", "text": "a dog", "k": 10,
"images": [], "good_only": false, "text_only": false, "sort": "relevance", "filter":
{"after": "2024", "folder": "/abs/dir"}, "device": null}`` (the filter options' values as
typed, app/search_args.py); ``op`` ``"list"`` lists photos by date (``filter``, ``limit``,
``oldest_first``); ``op`` ``"ping"`` asks who answers. A key this version does not know
is refused, never ignored, so a newer client's option is not silently dropped by an older
server (the client then searches in-process).
Every answer carries ``"v"`` and ``"ok"``; a refusal says why in ``"error"``:
``{"kind": ..., "message": one line}``. Light: the client imports it.
"""

from __future__ import annotations

import json

from app.search_args import DEFAULT_LIMIT, FILTER_KEYS, RELEVANCE, SORTS

VERSION = 1
MAX_LINE = 1 << 20  # bytes; a longer request is refused and the connection closed
SEARCH, LIST, PING = "search", "list", "ping"

# error kinds
BAD_REQUEST = "bad_request"  # not JSON, wrong types, unknown keys
UNSUPPORTED = "unsupported"  # another protocol version, or an unknown op
FORBIDDEN = "forbidden"  # the loopback endpoint's token is missing or wrong
USAGE = "usage"  # the query itself is refused (as the command line refuses it)
FAILED = "error"  # the search failed with a message for the user
NOT_READY = "not_ready"  # the model is still loading, or another model was asked for
INTERNAL = "internal"  # a bug; the server keeps running

_DEFAULTS: dict[str, object] = {
    "op": SEARCH,
    "text": "",
    "images": [],
    "k": 10,
    "good_only": False,
    "text_only": False,
    "sort": RELEVANCE,
    "filter": {},
    "limit": DEFAULT_LIMIT,
    "oldest_first": False,
    "model": None,
    "weights": None,
    "device": None,  # --device (or its env) as the client was given it; None: not given
    "token": None,
}
_TYPES: dict[str, tuple[type, ...]] = {
    "v": (int,),
    "op": (str,),
    "text": (str,),
    "images": (list,),
    "k": (int,),
    "good_only": (bool,),
    "text_only": (bool,),
    "sort": (str,),
    "filter": (dict,),
    "limit": (int,),
    "oldest_first": (bool,),
    "model": (str, type(None)),
    "weights": (str, type(None)),
    "device": (str, type(None)),
    "token": (str, type(None)),
}


class ProtocolError(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def encode(message: dict) -> bytes:
    """One line; ASCII-only JSON, so names that are not UTF-8 (surrogates) travel intact."""
    return json.dumps(message, ensure_ascii=True, separators=(",", ":")).encode() + b"\n"


def decode(line: bytes) -> dict:
    try:
        message = json.loads(line)
    except ValueError:
        raise ProtocolError(BAD_REQUEST, "not a JSON object on one line") from None
    if not isinstance(message, dict):
        raise ProtocolError(BAD_REQUEST, "not a JSON object on one line")
    return message


def check_request(message: dict) -> dict:
    """The request with its defaults filled in; :class:`ProtocolError` says what is wrong."""
    if message.get("v") != VERSION:
        raise ProtocolError(
            UNSUPPORTED, f"protocol version {message.get('v')!r}; this is {VERSION}"
        )
    unknown = sorted(set(message) - set(_TYPES))
    if unknown:
        raise ProtocolError(BAD_REQUEST, f"unknown keys: {', '.join(unknown)}")
    for key, value in message.items():
        # bool is an int in Python: an int field must not take true/false
        if not isinstance(value, _TYPES[key]) or (
            isinstance(value, bool) and bool not in _TYPES[key]
        ):
            raise ProtocolError(BAD_REQUEST, f"{key!r} has the wrong type")
    request = {**_DEFAULTS, **message}
    if request["op"] not in (SEARCH, LIST, PING):
        raise ProtocolError(UNSUPPORTED, f"unknown op {request['op']!r}")
    if not all(isinstance(p, str) for p in request["images"]):
        raise ProtocolError(BAD_REQUEST, "'images' must be a list of paths")
    unknown = sorted(set(request["filter"]) - set(FILTER_KEYS))
    if unknown:
        raise ProtocolError(BAD_REQUEST, f"unknown filters: {', '.join(map(str, unknown))}")
    if not all(isinstance(v, str) for v in request["filter"].values()):
        raise ProtocolError(BAD_REQUEST, "filter values must be text, as typed")
    if request["sort"] not in SORTS:
        raise ProtocolError(BAD_REQUEST, f"'sort' is one of {', '.join(SORTS)}")
    return request


def answer(**fields: object) -> dict:
    return {"v": VERSION, "ok": True, **fields}


def refusal(kind: str, message: str) -> dict:
    return {"v": VERSION, "ok": False, "error": {"kind": kind, "message": message}}

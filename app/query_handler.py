"""The query service's answers: a checked request (app/query_protocol.py) in, the same
answer the in-process search or listing computes (app/search_answer.py) out, as JSON-safe
dicts.

Each result travels as the dict ``--json`` prints plus its exact score, so the client
prints text and JSON exactly as the in-process command would.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from app import context
from app import query_protocol as protocol
from app.errors import USER_ERRORS, UsageError
from app.filter_options import filter_from_values
from app.search_answer import Answer, SearchRequest, answer, check_limit, listing, parse_request
from engine.device_names import AUTO
from engine.errors import first_line
from index.search import SearchService

# The search in use now, or None while no model is loaded (the window swaps it when the
# user picks another model).
SearchSource = Callable[[], SearchService | None]


def search_handler(current: SearchSource) -> Callable[[dict], dict]:
    def handle(request: dict) -> dict:
        search = current()
        if request["op"] == protocol.PING:
            model = search.encoder.model_id if search is not None else None
            return protocol.answer(pid=os.getpid(), model=model, device=_device(search))
        if search is None:
            return protocol.refusal(protocol.NOT_READY, "the model is still loading")
        try:
            if request["op"] == protocol.LIST:
                check_limit(request["limit"])
                flt = filter_from_values(request["filter"])
                found = listing(search.library, flt, request["limit"], request["oldest_first"])
            else:
                refused = _refused(search, request)
                if refused is not None:
                    return protocol.refusal(protocol.NOT_READY, refused)
                found = _search(search, request)
        except UsageError as exc:
            return protocol.refusal(protocol.USAGE, str(exc))
        except USER_ERRORS as exc:
            return protocol.refusal(protocol.FAILED, first_line(exc))
        results = [{"fields": r.as_dict(), "score": r.score} for r in found.results]
        return protocol.answer(
            results=results, empty=found.empty, notes=found.notes, total=found.total
        )

    return handle


def _search(search: SearchService, request: dict) -> Answer:
    wanted = SearchRequest(
        request["text"],
        tuple(request["images"]),
        request["k"],
        request["good_only"],
        request["text_only"],
    )
    query = parse_request(wanted)
    flt = filter_from_values(request["filter"])
    return answer(search, wanted, query, flt, request["sort"])


def _refused(search: SearchService, request: dict) -> str | None:
    """Why this service must not answer (the client then searches in-process, which does
    what its command line asked or refuses it), or None."""
    if not _same_model(search, request["model"], request["weights"]):
        return "another model was asked for"
    device = request["device"]
    if device not in (None, AUTO) and device != _device(search):
        return f"this service encodes on {_device(search)}, not {device}"
    return None


def _device(search: SearchService | None) -> str | None:
    """Where the service's encoder runs: "cpu", "cuda", "mps"."""
    device = getattr(search.encoder, "device", None) if search is not None else None
    return getattr(device, "type", None)


def _same_model(search: SearchService, model: str | None, weights: str | None) -> bool:
    """A model named on the client's command line must be the one this service answers with
    (otherwise the client searches in-process, which accepts or refuses it)."""
    if model is None and weights is None:
        return True
    try:
        spec = context.choose_spec(search.library, model, weights)
    except USER_ERRORS:
        return False
    return spec.model_id == search.encoder.model_id

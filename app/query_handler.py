"""The query service's answers: a checked request (app/query_protocol.py) in, the same
answer the in-process search computes (app/search_answer.py) out, as JSON-safe dicts.

Each result travels as the dict ``--json`` prints plus its exact score, so the client
prints text and JSON exactly as the in-process search would.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from app import context
from app import query_protocol as protocol
from app.errors import USER_ERRORS, UsageError
from app.search_answer import SearchRequest, answer, parse_request
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
            return protocol.answer(pid=os.getpid(), model=model)
        if search is None:
            return protocol.refusal(protocol.NOT_READY, "the model is still loading")
        if not _same_model(search, request["model"], request["weights"]):
            return protocol.refusal(protocol.NOT_READY, "another model was asked for")
        wanted = SearchRequest(
            request["text"],
            tuple(request["images"]),
            request["k"],
            request["good_only"],
            request["text_only"],
        )
        try:
            found = answer(search, wanted, parse_request(wanted))
        except UsageError as exc:
            return protocol.refusal(protocol.USAGE, str(exc))
        except USER_ERRORS as exc:
            return protocol.refusal(protocol.FAILED, first_line(exc))
        results = [{"fields": r.as_dict(), "score": r.score} for r in found.results]
        return protocol.answer(results=results, empty=found.empty, notes=found.notes)

    return handle


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

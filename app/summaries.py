"""One-line summaries of finished work, in the interface's language (CLI and window)."""

from __future__ import annotations

from collections.abc import Callable

from app.translation import _
from index.error_text import INDEX_SUMMARY, TEXT_SUMMARY
from index.pipeline import IndexSummary
from index.text_pass import TextPassSummary


def index_summary(summary: IndexSummary, number: Callable[[int], str] = str) -> str:
    """The counts, each written by ``number`` (the window groups digits by its locale)."""
    return _(INDEX_SUMMARY).format(
        new=number(summary.new),
        updated=number(summary.updated),
        moved=number(summary.moved),
        removed=number(summary.removed),
        skipped=number(summary.skipped),
    )


def text_summary(summary: TextPassSummary) -> str:
    return _(TEXT_SUMMARY).format(
        read=summary.read, with_text=summary.with_text, failed=summary.failed
    )

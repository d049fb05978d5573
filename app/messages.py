"""What engine/ and index/ tell a user, in the user's language.

The layers below app/ phrase their messages as English templates with named fields: a
``PhrasedError`` (engine.errors, index.error_text) carries its template and fields; a line
that arrives as text (a skip reason kept in the catalog, perhaps by an older version, or a
note) is matched against the templates of such lines and shown as it is when none fits.
The catalogs translate the templates (app.translations_update extracts them from the code).
"""

from __future__ import annotations

import re
import string
from functools import cache
from typing import TYPE_CHECKING

from app.translation import _
from engine.errors import OCR_UNAVAILABLE, OFFLINE_REASONS, UNREADABLE_REASONS
from index.error_text import HINTS, SKIP_REASONS, SUMMARIES
from index.query_language import LANGUAGE_NOTE, SCRIPT_NAMES

if TYPE_CHECKING:
    import logging

# Lines that reach a front end as plain text; fields match any text.
TEXT_LINES = (*UNREADABLE_REASONS, *SKIP_REASONS, LANGUAGE_NOTE, OCR_UNAVAILABLE, *SUMMARIES)
# Field values that are themselves phrases ("(no network)", "Chinese/Japanese", a hint).
PHRASE_VALUES = frozenset((*OFFLINE_REASONS, *SCRIPT_NAMES, *HINTS))


def localized(message: BaseException | str) -> str:
    """``message`` (a phrased error, another error, or a line of text) in the user's language;
    what is not a known phrase is returned as it reads (an error without one: its type)."""
    template = getattr(message, "template", None)
    if template is not None:
        return _filled(template, message.fields)
    if isinstance(message, BaseException) and not str(message):
        return type(message).__name__
    return localized_text(str(message))


def localized_text(text: str) -> str:
    """A line from below app/ translated when it fits a known template, else ``text``."""
    for template, pattern in _patterns():
        match = pattern.fullmatch(text)
        if match:
            return _filled(template, match.groupdict())
    return text


def _filled(template: str, fields: dict) -> str:
    translated = _(template)
    if not fields:
        return translated
    return translated.format(**{name: _field(value) for name, value in fields.items()})


def _field(value: object) -> object:
    if getattr(value, "template", None) is not None:
        return localized(value)
    if isinstance(value, str) and value in PHRASE_VALUES:
        return _(value)
    return value


def localized_record(record: logging.LogRecord) -> logging.LogRecord:
    """A log record (index/ and engine/ mark their templates) with its template translated
    and its text arguments too, when they are known lines (a skip reason)."""
    if not isinstance(record.msg, str):
        return record
    import logging  # only where logs are written (a search client writes none)

    record = logging.makeLogRecord(vars(record))
    record.msg = _(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(
            localized(a) if isinstance(a, (str, BaseException)) else a for a in record.args
        )
    return record


@cache
def _patterns() -> list[tuple[str, re.Pattern]]:
    return [(template, _pattern(template)) for template in dict.fromkeys(TEXT_LINES)]


def _pattern(template: str) -> re.Pattern:
    parts = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(f"(?P<{field}>.+?)")
    return re.compile("".join(parts), re.DOTALL)

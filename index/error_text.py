"""What index/ tells a user (a failure in the catalog's error column, an error, a log line),
as English templates a front end shows translated (app.messages)."""

from __future__ import annotations

from typing import NamedTuple


def N_(template: str) -> str:
    """Mark a message template kept in a constant, for app.translations_update to extract
    (templates given straight to a phrased error are extracted by the error's name)."""
    return template


class PhrasedError(Exception):
    """An error whose one line is an English template with named fields: ``str(err)`` is
    the English line; a front end shows ``template`` translated, filled with ``fields``.
    engine.errors has the same class for its layer (the two layers share no module)."""

    def __init__(self, template: str, **fields: object) -> None:
        super().__init__(template.format(**fields) if fields else template)
        self.template, self.fields = template, fields

    @classmethod
    def from_error(cls, exc: BaseException) -> PhrasedError:
        """This kind of error with ``exc``'s line (and its template, when it has one)."""
        if isinstance(exc, PhrasedError):
            return cls(exc.template, **exc.fields)
        return cls(str(exc))


class Phrase(NamedTuple):
    """A template with its fields, given as a field of another message (a front end shows
    both translated); ``str(phrase)`` is the English text."""

    template: str
    fields: dict

    def __str__(self) -> str:
        return self.template.format(**self.fields)


# Why a file or folder was skipped, as the catalog keeps it (beside engine.errors' reasons),
# or a photo's text was not read (the log says it).
VANISHED = N_("file vanished before it could be read")
BROKEN_LINK = N_("broken symbolic link")
UNREADABLE_FILE = N_("cannot read file: {error}")
UNLISTABLE_FOLDER = N_("cannot list folder: {error}")
CHANGED_SINCE_INDEXED = N_("changed since it was indexed; it is read after the next rescan")
SKIP_REASONS = (VANISHED, BROKEN_LINK, UNREADABLE_FILE, UNLISTABLE_FOLDER, CHANGED_SINCE_INDEXED)

# The counts of an indexing run and of a text pass (log lines and the front ends' summaries).
INDEX_SUMMARY = N_(
    "{new} new, {updated} updated, {moved} moved, {removed} removed, {skipped} skipped"
)
TEXT_SUMMARY = N_("text: {read} photos read, {with_text} with text, {failed} failed")
SUMMARIES = (INDEX_SUMMARY, TEXT_SUMMARY)

# What to do about a damaged file of the library (a field of the errors that say so).
CATALOG_REBUILD_HINT = N_(
    "run `photosearch reindex` to rebuild it from your photo folders (the damaged file is kept)"
)
VECTORS_REBUILD_HINT = N_("run `photosearch reindex` to rebuild it from your photos")
HINTS = (CATALOG_REBUILD_HINT, VECTORS_REBUILD_HINT)


def reason(exc: BaseException) -> str:
    """The exception's message, or its type's name when it has none."""
    return str(exc) or type(exc).__name__

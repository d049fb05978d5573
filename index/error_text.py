"""How a failure reads in the catalog's error column and in the log, as English templates
a front end can show translated (app.messages)."""

from __future__ import annotations


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


# Why a file or folder was skipped, as the catalog keeps it (beside engine.images' reasons).
VANISHED = N_("file vanished before it could be read")
BROKEN_LINK = N_("broken symbolic link")
UNREADABLE_FILE = N_("cannot read file: {error}")
UNLISTABLE_FOLDER = N_("cannot list folder: {error}")
SKIP_REASONS = (VANISHED, BROKEN_LINK, UNREADABLE_FILE, UNLISTABLE_FOLDER)

# What to do about a damaged file of the library (a field of the errors that say so).
CATALOG_REBUILD_HINT = N_(
    "run `photosearch reindex` to rebuild it from your photo folders (the damaged file is kept)"
)
VECTORS_REBUILD_HINT = N_("run `photosearch reindex` to rebuild it from your photos")
HINTS = (CATALOG_REBUILD_HINT, VECTORS_REBUILD_HINT)


def reason(exc: BaseException) -> str:
    """The exception's message, or its type's name when it has none."""
    return str(exc) or type(exc).__name__

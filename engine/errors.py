"""Errors a user reads: phrased errors (the model error, a file that is no photo), and one
line for an exception's message."""

from __future__ import annotations


def N_(template: str) -> str:
    """Mark a message template kept in a constant, for app.translations_update to extract
    (templates given straight to a phrased error are extracted by the error's name)."""
    return template


UNKNOWN_TAG = N_(
    "unknown weights '{tag}' for model {model} (known tags: {tags}; or pass a file path"
    " or 'random')"
)  # said by engine.registry and engine.weights

# Why a file cannot be used as a photo: the reasons the catalog keeps for skipped files.
EMPTY_FILE = N_("empty file (0 bytes)")
TOO_LARGE = N_("image too large ({width}x{height}), possible decompression bomb")
VANISHED = N_("file vanished before it could be read")
PERMISSION_DENIED = N_("permission denied")
IS_A_DIRECTORY = N_("is a directory")
NOT_AN_IMAGE = N_("not an image file (unrecognised format)")
BOMB_REFUSED = N_("decompression bomb refused: {error}")
CORRUPT = N_("corrupt or truncated image: {error}")
UNDECODABLE = N_("cannot decode image: {error}")
NO_RAWPY = N_("RAW files need the rawpy package (pip install rawpy)")
BAD_RAW = N_("cannot read RAW file: {error}")
UNREADABLE_REASONS = (
    EMPTY_FILE,
    TOO_LARGE,
    VANISHED,
    PERMISSION_DENIED,
    IS_A_DIRECTORY,
    NOT_AN_IMAGE,
    BOMB_REFUSED,
    CORRUPT,
    UNDECODABLE,
    NO_RAWPY,
    BAD_RAW,
)

# Why the model hub cannot be reached (engine.hub; a field of its and engine.weights' errors).
OFFLINE_SET, NO_NETWORK = N_("(HF_HUB_OFFLINE is set)"), N_("(no network)")
OFFLINE_REASONS = (OFFLINE_SET, NO_NETWORK)

# Why the text in photos cannot be searched here (engine.ocr).
OCR_UNAVAILABLE = N_(
    "text-in-photo search is unavailable: the OCR engine cannot be loaded on Python {version}"
    " ({error}); install photosearch on a Python where {packages} install to search the text"
    " in photos"
)


class PhrasedError(Exception):
    """An error whose one line is an English template with named fields: ``str(err)`` is
    the English line; a front end shows ``template`` translated, filled with ``fields``
    (app.messages; app.translations_update extracts the templates). index.error_text has
    the same class for its layer (the two layers share no module)."""

    def __init__(self, template: str, **fields: object) -> None:
        super().__init__(template.format(**fields) if fields else template)
        self.template, self.fields = template, fields

    @classmethod
    def from_error(cls, exc: BaseException) -> PhrasedError:
        """This kind of error with ``exc``'s line (and its template, when it has one)."""
        if isinstance(exc, PhrasedError):
            return cls(exc.template, **exc.fields)
        return cls(str(exc))


class ModelError(PhrasedError):
    """A model cannot be resolved or loaded; ``str(err)`` is the user-facing line."""


def first_line(exc: BaseException, limit: int = 300) -> str:
    """The message's first line (at most ``limit`` characters), or the type's name if empty."""
    text = str(exc).strip().splitlines()
    return text[0][:limit] if text else type(exc).__name__

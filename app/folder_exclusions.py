"""Changing a library folder's exclusions, for the command line and the window alike.

Checks every pattern before changing anything, so a bad or unknown one leaves the folder as
it was; ``index.exclusions`` phrases the messages, shown here in the user's language.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.errors import CommandError, UsageError
from app.messages import localized
from index.catalog import FolderRow
from index.exclusions import ExclusionError, add_exclusions, clean_patterns, remove_exclusions
from index.library import Library


def change_exclusions(
    library: Library, row: FolderRow, added: Sequence[str], removed: Sequence[str]
) -> FolderRow:
    """``row`` leaving out ``added`` patterns and no longer ``removed`` ones (rescan it
    next). Raises :class:`UsageError` for an unusable pattern and :class:`CommandError`
    for removing one the folder does not have."""
    try:
        added, removed = clean_patterns(added), clean_patterns(removed)
    except ExclusionError as exc:
        raise UsageError(localized(exc)) from None
    if removed:
        try:  # checks every pattern before it forgets any
            remove_exclusions(library.catalog, row, removed)
        except ExclusionError as exc:
            raise CommandError(localized(exc)) from None
        row = library.catalog.folder_by_path(row.path) or row
    if added:
        add_exclusions(library.catalog, row, added)
    return library.catalog.folder_by_path(row.path) or row

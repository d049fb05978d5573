"""Changing a library folder's exclusions, for the command line and the window alike.

Checks every pattern before changing anything, so a bad or unknown one leaves the folder as
it was; ``index.exclusions`` phrases the messages, shown here in the user's language.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from app.errors import CommandError, UsageError
from app.messages import localized
from index.catalog import FolderRow
from index.exclusions import (
    ExclusionError,
    add_exclusions,
    check_removable,
    clean_patterns,
    patterns,
    remove_exclusions,
)
from index.folders import covering_folder
from index.library import Library


def change_exclusions(
    library: Library, row: FolderRow, added: Sequence[str], removed: Sequence[str]
) -> FolderRow:
    """``row`` leaving out ``added`` patterns and no longer ``removed`` ones (rescan it
    next). Raises :class:`UsageError` for an unusable pattern and :class:`CommandError`
    for removing one the folder does not have."""
    added, removed = _checked(row.path, patterns(row), added, removed)
    if removed:
        remove_exclusions(library.catalog, row, removed)
        row = library.catalog.folder_by_path(row.path) or row
    if added:
        add_exclusions(library.catalog, row, added)
    return library.catalog.folder_by_path(row.path) or row


def check_exclusion_changes(
    library: Library, paths: Sequence[str], added: Sequence[str], removed: Sequence[str]
) -> None:
    """Before any of ``paths`` is added: the checks :func:`change_exclusions` makes, so
    that a bad pattern, or one a folder does not leave out (a folder new to the library
    leaves out nothing), refuses the command with the library as it was."""
    for path in paths:
        row = covering_folder(library, path)
        if row is None:
            _checked(os.path.abspath(path), (), added, removed)
        else:
            _checked(row.path, patterns(row), added, removed)


def _checked(
    folder: str, current: Sequence[str], added: Sequence[str], removed: Sequence[str]
) -> tuple[list[str], list[str]]:
    """``added`` and ``removed`` cleaned, or the one-line error: :class:`UsageError` for an
    unusable pattern, :class:`CommandError` for removing one that ``folder`` (leaving out
    ``current``) does not leave out."""
    try:
        added, removed = clean_patterns(added), clean_patterns(removed)
    except ExclusionError as exc:
        raise UsageError(localized(exc)) from None
    try:
        check_removable(folder, current, removed)
    except ExclusionError as exc:
        raise CommandError(localized(exc)) from None
    return added, removed

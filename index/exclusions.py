"""Subfolders and file patterns a library folder leaves out, remembered with the folder.

A pattern without a "/" is matched against every name below the folder (``@eaDir``,
``.thumbnails``, ``*.tmp``); one with a "/" against the path relative to the folder
(``cache/previews``, ``exports/*``). Excluded photos already in the library are removed by
the next scan, like deleted ones; once a pattern is forgotten, the next scan adds them again.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence

from index.catalog import Catalog, FolderRow
from index.error_text import N_, Phrase, PhrasedError

_SEP = "\n"  # stored one pattern a line in folders.exclude
NOTHING_LEFT_OUT = Phrase(N_("nothing"), {})


class ExclusionError(PhrasedError, ValueError):
    """A pattern that cannot be used, or one to forget that the folder does not have."""


def patterns(folder: FolderRow) -> tuple[str, ...]:
    return tuple(p for p in (folder.exclude or "").split(_SEP) if p)


def clean_patterns(raw: Iterable[str]) -> list[str]:
    """Patterns as given on a command line, checked; raises :class:`ExclusionError`."""
    out: list[str] = []
    for pattern in raw:
        pattern = pattern.strip().strip("/").replace(os.sep, "/")
        if not pattern or pattern in (".", "..") or "\n" in pattern:
            raise ExclusionError("not a usable exclusion pattern: {pattern}", pattern=repr(pattern))
        if pattern not in out:
            out.append(pattern)
    return out


def add_exclusions(catalog: Catalog, folder: FolderRow, raw: Iterable[str]) -> tuple[str, ...]:
    """Remember more patterns for ``folder``; returns all of them."""
    merged = list(dict.fromkeys([*patterns(folder), *clean_patterns(raw)]))
    _store(catalog, folder, merged)
    return tuple(merged)


def remove_exclusions(catalog: Catalog, folder: FolderRow, raw: Iterable[str]) -> tuple[str, ...]:
    """Forget patterns of ``folder`` (the next scan takes in what they left out); returns
    those left. A pattern the folder does not have raises :class:`ExclusionError` before
    anything changes."""
    current = patterns(folder)
    gone = clean_patterns(raw)
    check_removable(folder.path, current, gone)
    kept = [p for p in current if p not in gone]
    _store(catalog, folder, kept)
    return tuple(kept)


def check_removable(folder: str, current: Sequence[str], gone: Iterable[str]) -> None:
    """Raise :class:`ExclusionError` unless ``folder`` (leaving out ``current``) leaves out
    every pattern in ``gone``."""
    for pattern in gone:
        if pattern not in current:
            raise ExclusionError(
                "{folder} does not leave out {pattern} (it leaves out: {patterns})",
                folder=folder,
                pattern=pattern,
                patterns=", ".join(current) or NOTHING_LEFT_OUT,
            )


def _store(catalog: Catalog, folder: FolderRow, rules: list[str]) -> None:
    with catalog.transaction() as db:
        db.execute(
            "UPDATE folders SET exclude = ? WHERE id = ?", (_SEP.join(rules) or None, folder.id)
        )


def is_excluded(rel_path: str, rules: Sequence[str]) -> bool:
    """Is ``rel_path`` (relative to its library folder) or a folder above it excluded?"""
    if not rules:
        return False
    parts = rel_path.replace(os.sep, "/").split("/")
    for rule in rules:
        if "/" in rule:
            if any(
                fnmatch.fnmatchcase("/".join(parts[:n]), rule) for n in range(1, len(parts) + 1)
            ):
                return True
        elif any(fnmatch.fnmatchcase(part, rule) for part in parts):
            return True
    return False

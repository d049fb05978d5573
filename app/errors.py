"""Errors the front ends show as one line (CLI: exit 1; GUI: a non-modal message)."""

from __future__ import annotations

from engine.errors import ModelError
from index.catalog import CatalogError
from index.library import LibraryError
from index.store_files import VectorStoreError


class UsageError(Exception):
    """Bad arguments: exit code 2."""


class CommandError(Exception):
    """A command cannot do what was asked: exit code 1."""


USER_ERRORS: tuple[type[BaseException], ...] = (
    CommandError,
    ModelError,
    LibraryError,
    CatalogError,
    VectorStoreError,
)

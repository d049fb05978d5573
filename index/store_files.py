"""What a vector store is on disk, known without loading it (numpy and hnswlib stay
unimported): the change log's name beside its snapshot, and the store's error."""

from __future__ import annotations

from pathlib import Path

from index.error_text import PhrasedError


class VectorStoreError(PhrasedError):
    """The vector file cannot be used; ``str(err)`` is the user-facing reason."""


def log_path(snapshot: Path) -> Path:
    """The log that belongs to the snapshot file ``snapshot``."""
    return snapshot.with_name(snapshot.stem + ".log")

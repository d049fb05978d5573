"""Where the library folder is: ``--library``, else ``$PHOTOSEARCH_LIBRARY``, else the
user's data folder. Light (no model, no storage): the query-service client uses it."""

from __future__ import annotations

import os
from pathlib import Path

LIBRARY_ENV = "PHOTOSEARCH_LIBRARY"


def default_library_dir() -> Path:
    from platformdirs import user_data_dir  # only when no library is named: a cold search

    return Path(user_data_dir("photosearch", appauthor=False)) / "library"


def library_dir(option: str | None) -> Path:
    return Path(option or os.environ.get(LIBRARY_ENV) or default_library_dir()).expanduser()

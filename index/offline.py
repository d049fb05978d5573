"""Is a library folder offline (a drive unplugged or unmounted) rather than emptied?

A folder whose photos are offline keeps them in the library: they stay searchable, and
when the folder comes back nothing is re-encoded. Only a folder that is there, on the
same disk, and has really lost its files has its photos removed.

How "unmounted" is told from "the user emptied the folder":
- the folder is gone, or cannot be read: offline (a drive whose folder lay inside it);
- the folder is there but empty, and its device id (``st_dev``) differs from the one its
  photos were scanned on: offline. That is an unmounted drive's bare mount point, which
  belongs to the disk below it. An emptied folder stays on its own disk and is scanned
  as usual, so the deletions are real.
"""

from __future__ import annotations

import os

from index.catalog import Catalog, FolderRow


def offline_folder_ids(catalog: Catalog) -> list[int]:
    """The library folders that are offline now."""
    return [folder.id for folder in catalog.folders() if is_offline(folder)]


def is_offline(folder: FolderRow) -> bool:
    try:
        device = os.stat(folder.path).st_dev
    except OSError:
        return True
    if not os.path.isdir(folder.path):
        return True
    return folder.device is not None and device != folder.device and _is_empty(folder.path)


def folder_device(path: str) -> int | None:
    try:
        return os.stat(path).st_dev
    except OSError:
        return None


def _is_empty(path: str) -> bool:
    try:
        with os.scandir(path) as entries:
            return not any(not entry.name.startswith(".") for entry in entries)
    except OSError:
        return True

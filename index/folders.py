"""Adding and removing library folders (shared by the CLI, the watcher service and the GUI)."""

from __future__ import annotations

import os

from index.catalog import FolderRow
from index.library import Library
from index.paths import is_within
from index.thumbnails import thumbnail_path


def add_folder(library: Library, path: str) -> FolderRow:
    """Add ``path``; a folder inside a library folder is already covered by its parent.

    A new folder that contains existing library folders absorbs their photos.
    """
    path = os.path.abspath(path)
    catalog = library.catalog
    covering = covering_folder(library, path)
    if covering is not None:
        return covering
    row = catalog.add_folder(path)
    children = [f for f in catalog.folders() if f.id != row.id and is_within(f.path, path)]
    if children:
        catalog.absorb_folders(row.id, [f.id for f in children])
    return row


def covering_folder(library: Library, path: str) -> FolderRow | None:
    """The library folder ``path`` is (or lies inside), if any."""
    path = os.path.abspath(path)
    return next((f for f in library.catalog.folders() if is_within(path, f.path)), None)


def remove_folder(library: Library, path: str) -> int | None:
    """Forget a folder and its photos (catalog first, then vectors); None if unknown."""
    catalog = library.catalog
    folder = catalog.folder_by_path(os.path.abspath(path))
    if folder is None:
        return None
    ids = catalog.remove_folder(folder.id)
    if library.binding is not None:
        library.store.remove(ids)
        library.save()
    for photo_id in ids:
        thumbnail_path(library.thumbs_dir, photo_id).unlink(missing_ok=True)
    return len(ids)

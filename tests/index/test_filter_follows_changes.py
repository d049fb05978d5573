"""A filter's answer follows the library: photos added or removed after the first filtered
search (whose answer is remembered) are in or out of the next one, for the process that
indexes and for a reader beside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from photo_files import write_photo

from engine.images import load_image
from index.folders import add_folder
from index.library import Library
from index.photo_filter import PhotoFilter
from index.pipeline import Indexer
from index.scanner import scan
from index.search import SearchService

pytestmark = pytest.mark.usefixtures("no_thread_leaks")

PARIS, SYDNEY = (48.8566, 2.3522), (-33.8688, 151.2093)
IN_PARIS = PhotoFilter(place="Paris", after=20240101000000)


def _photo(folder: Path, name: str, gps: tuple[float, float], color: tuple[int, int, int]):
    write_photo(folder / name, taken="2024:07:14 10:00:00", gps=gps, color=color)


def _index(library: Library) -> None:
    diff = scan(library.catalog, library.catalog.folders())
    Indexer(library, library.encoder, load_image).apply(diff)


def _found(search: SearchService) -> set[str]:
    vector = search.library.store.get([min(search.library.store.labels())])[0]
    return {Path(r.path).name for r in search.by_vector(vector, 10, flt=IN_PARIS)}


@pytest.mark.parametrize("who", ["indexer", "reader"])
def test_a_filter_follows_photos_added_and_removed_after_the_first_search(library, tmp_path, who):
    folder = tmp_path / "photos"
    _photo(folder, "paris_1.jpg", PARIS, (200, 40, 40))
    _photo(folder, "sydney.jpg", SYDNEY, (40, 200, 40))
    add_folder(library, str(folder))
    _index(library)
    reader = Library(library.root, writable=False) if who == "reader" else None
    try:
        search = SearchService(reader or library, library.encoder)
        assert _found(search) == {"paris_1.jpg"}
        _photo(folder, "paris_2.jpg", PARIS, (40, 40, 200))
        _index(library)
        assert _found(search) == {"paris_1.jpg", "paris_2.jpg"}
        (folder / "paris_1.jpg").unlink()
        _index(library)
        assert _found(search) == {"paris_2.jpg"}
    finally:
        if reader is not None:
            reader.close()

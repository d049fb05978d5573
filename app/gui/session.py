"""The open library and its model, as the GUI uses them (no Qt: every call may block).

The GUI is the library's writer while it runs. If another process holds the write
lock, the library opens read-only (search works, indexing does not) and says so. As the
writer, once a model is in use, it also answers `photosearch search` from other processes
(app/query_service.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from app import context
from app.errors import CommandError
from app.messages import localized
from app.query_server import QueryServer
from app.query_service import serve_queries
from app.translation import _
from engine.encoder import ClipEncoder
from index.catalog import PENDING, PhotoRow
from index.exclusions import patterns
from index.library import Library, LibraryBusyError, LibraryError
from index.meta_columns import MetaColumns
from index.meta_store import read_meta
from index.offline import is_offline
from index.photo_filter import PhotoFilter
from index.photo_meta import PhotoMeta
from index.query import QueryError, parse_query
from index.search import SearchResult, SearchService, with_meta
from index.text_index import StoredLine, TextIndex
from index.text_search import TextAwareSearch, holds_every_word

INDEXING, WATCHING, MISSING = "indexing", "watching", "missing"
WAITING = "waiting"  # no model loaded yet: the folder is kept, not yet indexed or watched


@dataclass(frozen=True)
class FolderStatus:
    path: str
    count: int
    state: str  # INDEXING, WATCHING or MISSING
    exclude: tuple[str, ...] = ()  # the patterns it leaves out (index.exclusions)


@dataclass(frozen=True)
class ModelInfo:
    name: str
    model_id: str
    note: str | None = None  # e.g. why the requested model was not used


class Session:
    """Library + encoder + search service; thread-safe as far as its parts are."""

    def __init__(self, library_dir: str | Path | None) -> None:
        self.library_dir = context.library_dir(str(library_dir) if library_dir else None)
        self.library: Library | None = None
        self.read_only = False
        self.encoder: ClipEncoder | None = None
        self.search: SearchService | None = None
        self.text_search: TextAwareSearch | None = None  # CLIP fused with text in photos
        self.queries: QueryServer | None = None  # answers `photosearch search` from shells
        self._columns: MetaColumns | None = None

    # -- opening ----------------------------------------------------------------------
    def open_library(self) -> str | None:
        """Open for writing, or read-only if another process is writing; returns a notice."""
        try:
            self.library = Library(self.library_dir, writable=True)
            return None
        except LibraryBusyError:
            self.library = Library(self.library_dir, writable=False)
            self.read_only = True
            return _(
                "Read-only: another photosearch process is updating this library."
                " Searching works; adding folders is off until it finishes."
            )

    def prepare_model(
        self, model: str | None, weights: str | None, *, change: bool
    ) -> tuple[ClipEncoder, ModelInfo]:
        """Resolve and load an encoder (slow); changes nothing, so a failure leaves the
        model in use as it was. ``change`` allows re-encoding the library."""
        library = self._library()
        note = context.new_library_note(library, model, weights)
        binding = library.binding
        try:
            encoder = context.choose_encoder(library, model, weights, allow_change=change)
        except CommandError:
            if binding is None or change:  # with change, only a read-only library refuses
                raise
            note = _(
                "The library was indexed with {old}; using it instead of {new}."
                " Choose the model in Settings to re-index with it."
            ).format(old=binding.name, new=model)
            encoder = context.choose_encoder(library, None, None)
        encoder.load()
        _prepare_text_path(encoder)
        return encoder, ModelInfo(encoder.spec.name, encoder.model_id, note)

    def use_model(self, encoder: ClipEncoder) -> None:
        """Make ``encoder`` the session's model; binding a different model to the library
        drops its vectors, so nothing may be indexing meanwhile."""
        library = self._library()
        if not self.read_only:
            context.bind(library, encoder)
        self.encoder = encoder
        self.search = context.make_search(library, encoder)
        self.text_search = TextAwareSearch(self.search)
        if self.queries is None and not self.read_only:  # the writer serves; it reads
            self.queries = serve_queries(library, lambda: self.search)  # the one in use

    def _library(self) -> Library:
        if self.library is None:
            raise LibraryError(_("the library is not open"))
        return self.library

    # -- queries ----------------------------------------------------------------------
    @property
    def has_vectors(self) -> bool:
        return self.library is not None and self.library.binding is not None

    def columns(self) -> MetaColumns:
        """The library's metadata columns (filters, date order); read when first used."""
        library = self._library()
        if self._columns is None or self._columns.catalog is not library.catalog:
            self._columns = MetaColumns(library.catalog)
        return self._columns

    def by_text(self, text: str, k: int, flt: PhotoFilter | None = None) -> list[SearchResult]:
        """A query expression from the search field (index.query) among the photos ``flt``
        keeps, good matches first."""
        if self.text_search is None or self.search is None or not self.has_vectors:
            return []
        try:
            query = parse_query(text)
            if query.is_plain_text:  # CLIP fused with the text in photos
                results = self.text_search.search(text, k, flt=flt)
                return self.search.mark_good(query, results, holds_every_word)
            return self.search.by_query(query, k, flt)
        except QueryError as exc:
            raise CommandError(localized(exc)) from None

    def by_image(self, path: str, k: int, flt: PhotoFilter | None = None) -> list[SearchResult]:
        if self.search is None or not self.has_vectors:
            return []
        return self.search.by_query(parse_query("", [path]), k, flt)

    def by_text_and_image(
        self, text: str, path: str, k: int, flt: PhotoFilter | None = None
    ) -> list[SearchResult]:
        """Photos matching ``text`` and like the image at ``path`` together (index.query:
        the command line's ``search --image PATH TEXT``)."""
        if self.search is None or not self.has_vectors:
            return []
        try:
            return self.search.by_query(parse_query(text, [path]), k, flt)
        except QueryError as exc:
            raise CommandError(localized(exc)) from None

    def with_meta(self, results: list[SearchResult]) -> list[SearchResult]:
        """``results`` carrying their photos' metadata (date, place, camera)."""
        return with_meta(self._library().catalog, results)

    def meta_of(self, path: str) -> PhotoMeta | None:
        """The stored metadata of the library photo at ``path`` (worker thread)."""
        library = self.library
        row = library.catalog.photo_by_path(path) if library is not None else None
        return read_meta(library.catalog, [row.id]).get(row.id) if row is not None else None

    def text_lines(self, path: str) -> list[StoredLine]:
        """The text read from the photo at ``path`` (worker thread)."""
        row = self._library().catalog.photo_by_path(path)
        if row is None or row.hash is None:
            return []
        return TextIndex(self._library().catalog).lines(row.hash)

    def by_images(
        self, paths: list[str], k: int, flt: PhotoFilter | None = None
    ) -> list[SearchResult]:
        """Photos like all of ``paths`` together (a query of image terms, index.query)."""
        if self.search is None or not self.has_vectors:
            return []
        return self.search.by_query(parse_query("", paths), k, flt)

    def photo_count(self) -> int:
        return sum(self.searchable_counts().values())

    def searchable_counts(self) -> dict[int, int]:
        """Photos a search can return, per folder id: the indexed ones, and the pending ones
        whose vector is already in the store (indexed now, not yet checkpointed)."""
        library = self._library()
        counts = library.catalog.folder_counts()
        if library.binding is None:
            return counts  # no model yet: no vectors either
        store = library.store
        in_store = [i for i in library.catalog.ids_with_status(PENDING) if i in store]
        for row in library.catalog.photos_by_ids(in_store).values():
            counts[row.folder_id] = counts.get(row.folder_id, 0) + 1
        return counts

    def skipped(self) -> list[PhotoRow]:
        return self._library().catalog.skipped()

    def folders(
        self, busy: set[str] | frozenset[str] = frozenset(), *, watched: bool = True
    ) -> list[FolderStatus]:
        catalog = self._library().catalog
        counts = self.searchable_counts()
        out = []
        for folder in catalog.folders():
            if is_offline(folder):
                state = MISSING
            elif folder.path in busy:
                state = INDEXING
            else:
                state = WATCHING if watched else WAITING
            out.append(FolderStatus(folder.path, counts.get(folder.id, 0), state, patterns(folder)))
        return out

    def close(self) -> None:
        if self.queries is not None:
            self.queries.stop()
            self.queries = None
        if self.library is not None:
            if self.library.writable:
                self.library.save()
            self.library.close()
            self.library = None


def _prepare_text_path(encoder: ClipEncoder) -> None:
    """Encode one query now, off the first search: building the tokenizer and the text
    path's first call hold the GIL for tens of ms, which would stop the window's event loop
    while the user types (bench.browse, typing row). A query's own error (e.g. a hub
    tokenizer's files missing offline) is said when one is typed, as before."""
    try:
        encoder.encode_texts(["a photo"])
    except Exception as exc:  # any: the model itself loaded
        logging.getLogger(__name__).debug("text path not prepared: %s", exc)

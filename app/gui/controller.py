"""What the window does, without the window: session, model, searches, folders, settings.

The controller owns the session (library + model), the worker jobs, the folders and
their background indexing (``folders``, app/gui/folders_controller.py), the order of
searches (a newer one always wins) and the settings. It holds its state in plain
attributes and announces each change by a signal; the window
(app/gui/main_window.py) only builds widgets, forwards the user's requests here, and
shows what the signals carry. Tests drive and observe the controller the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from app.gui import desktop
from app.gui.folders_controller import FoldersController, LibraryState
from app.gui.preview import PreviewData, load_preview
from app.gui.search_jobs import IMAGE, TEXT, SearchOutcome, SearchRequest, run_search
from app.gui.session import ModelInfo, Session
from app.gui.settings import GuiSettings
from app.gui.workers import Jobs

DEBOUNCE_MS = 250
ERROR, INFO = "error", "info"


@dataclass(frozen=True)
class GuiOptions:
    library: str | None = None
    model: str | None = None  # from the command line: wins over the saved setting
    weights: str | None = None
    watch: bool = True  # follow folder changes (watchdog)
    rescan_s: float | None = None  # periodic full rescans on top of watching
    indexer_options: dict | None = None


class WindowController(QObject):
    ready = Signal()  # the model is loaded and searches run
    model_changed = Signal(object)  # ModelInfo; None while loading or after a failure
    query_changed = Signal(str)  # the controller changed the query (the field follows)
    placeholder_changed = Signal(str)  # what the empty grid says
    message = Signal(str, str)  # text, ERROR or INFO
    results_changed = Signal(object)  # SearchOutcome; None when cleared
    library_failed = Signal(str)  # the library could not be opened
    preview_loaded = Signal(object, object)  # PreviewData, score
    result_count_changed = Signal(int)
    writable_changed = Signal(bool)

    def __init__(self, options: GuiOptions, settings: GuiSettings, parent=None) -> None:
        super().__init__(parent)
        self.options = options
        self.settings = settings
        self.session = Session(options.library)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self.jobs = Jobs(self.pool)
        self.folders = FoldersController(self.session, self.jobs, self)
        self.model_info: ModelInfo | None = None
        self.loading_model = False
        self.query = ""  # the text in the search field
        self.outcome: SearchOutcome | None = None  # the results on show
        self.placeholder = "Opening the library…"
        self._serial = 0
        self._last_request: SearchRequest | None = None
        self._closed = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.search_now)
        self.folders.error.connect(self.show_error)
        self.folders.library_changed.connect(self._library_changed)

    # -- start-up and the model -------------------------------------------------------
    def start(self) -> None:
        self.jobs.start(
            self.session.open_library, on_result=self._library_opened, on_error=self._open_failed
        )

    def _open_failed(self, message: str) -> None:
        self.show_error(f"Cannot open the library: {message}")
        self._set_placeholder("The library could not be opened.")
        self.library_failed.emit(message)

    def _library_opened(self, notice: str | None) -> None:
        if notice:
            self.message.emit(notice, INFO)
        self.writable_changed.emit(not self.session.read_only)
        self.folders.refresh()
        model = self.options.model or self.settings.model
        weights = self.options.weights if self.options.model else self.settings.weights
        self._load_model(model, weights, change=False)

    def _load_model(self, model: str | None, weights: str | None, *, change: bool) -> None:
        self.loading_model = True
        self.model_info = None
        self.model_changed.emit(None)
        self._set_placeholder(f"Loading the model ({model or 'library default'})…")
        service = self.folders.take_indexing()
        self._indexing_unavailable("The model is still loading; try again in a moment.")

        def load() -> ModelInfo:
            if service is not None:
                service.stop()
            return self.session.load_model(model, weights, change=change)

        self.jobs.start(load, on_result=self._model_loaded, on_error=self._model_failed)

    def _model_failed(self, message: str) -> None:
        self.loading_model = False
        self.model_changed.emit(None)
        self._indexing_unavailable("No model is loaded; pick one in Settings.")
        self.show_error(f"Could not load the model: {message}")
        self._set_placeholder("No model is loaded. Pick one in Settings…")
        self.folders.refresh()

    def _model_loaded(self, info: ModelInfo) -> None:
        if self._closed:
            return
        self.loading_model = False
        self.model_info = info
        self.model_changed.emit(info)
        if info.note:
            self.message.emit(info.note, INFO)
        self.folders.start_indexing(
            watch=self.options.watch,
            rescan_s=self.options.rescan_s,
            indexer_options=self.options.indexer_options,
        )
        self.folders.refresh()
        self.ready.emit()
        if self.query:
            self.search_now()
        else:
            self._idle_placeholder()

    # -- searching --------------------------------------------------------------------
    def type_query(self, text: str) -> None:
        """The search field changed: search once typing pauses."""
        self.query = text.strip()
        self._debounce.start()

    def search_text(self, text: str) -> None:
        """Search for ``text`` at once (as Enter does)."""
        self._set_query(text.strip())
        self.search_now()

    def _set_query(self, text: str) -> None:
        if text != self.query:
            self.query = text
            self.query_changed.emit(text)

    def search_now(self) -> None:
        self._debounce.stop()
        if not self.query:
            self._serial += 1
            self._last_request = None
            self._set_outcome(None)
            self._idle_placeholder()
            return
        self._run(SearchRequest(0, TEXT, self.query, self.settings.results))

    def search_similar(self, path: str) -> None:
        self._set_query("")  # the results are no longer about the typed text
        self._run(SearchRequest(0, IMAGE, path, self.settings.results))

    def set_result_count(self, count: int) -> None:
        if count == self.settings.results:
            return
        self.settings.results = count
        self.settings.save()
        self.result_count_changed.emit(count)
        if self._last_request is not None:
            self._run(self._last_request)

    def _run(self, request: SearchRequest) -> None:
        self._debounce.stop()  # a typed query still waiting must not replace this one
        if self.model_info is None:
            if self.loading_model:
                self._set_placeholder("Loading the model… your search runs when it is ready.")
            return
        self._serial += 1
        request = SearchRequest(self._serial, request.kind, request.query, request.k)
        self._last_request = request
        self.jobs.start(
            run_search, self.session, request, on_result=self._searched, on_error=self.show_error
        )

    def _searched(self, outcome: SearchOutcome) -> None:
        if outcome.request.serial != self._serial or self._closed:
            return  # a newer query is on its way
        self._set_outcome(outcome)
        if not outcome.items:
            self._idle_placeholder()

    def _set_outcome(self, outcome: SearchOutcome | None) -> None:
        self.outcome = outcome
        self.results_changed.emit(outcome)

    def request_preview(self, path: str, score: float | None, boxes: tuple = ()) -> None:
        """Load the photo and its recognised text; ``boxes``: the matched text to mark."""

        def load() -> PreviewData:
            lines = tuple(self.session.text_lines(path)) if self.session.library else ()
            return replace(load_preview(path), lines=lines, matched=tuple(boxes))

        self.jobs.start(
            load,
            on_result=lambda data: self.preview_loaded.emit(data, score),
            on_error=self.show_error,
        )

    # -- acting on a photo ------------------------------------------------------------
    def open_photo(self, path: str) -> None:
        if not desktop.open_file(path):
            self.show_error(f"No application could open {path}")

    def reveal_photo(self, path: str) -> None:
        if not desktop.reveal_file(path):
            self.show_error(f"Could not show {path} in its folder")

    def copy_path(self, path: str) -> None:
        desktop.copy_text(path)

    def _indexing_unavailable(self, why: str) -> None:
        if self.session.read_only:
            why = "The library is read-only while another photosearch process updates it."
        self.folders.unavailable = why

    def _library_changed(self, state: LibraryState) -> None:
        if self.model_info and self.outcome is None:
            self._idle_placeholder(state.photos)

    # -- settings ---------------------------------------------------------------------
    def apply_settings(self, new: GuiSettings) -> None:
        old, self.settings = self.settings, new
        new.save()
        if new.results != old.results:
            self.result_count_changed.emit(new.results)
        model_changed = (new.model, new.weights) != (old.model, old.weights)
        if model_changed and new.model is not None and not self.loading_model:
            self._load_model(new.model, new.weights, change=True)
        elif new.results != old.results and self._last_request is not None:
            self._run(self._last_request)

    # -- messages ---------------------------------------------------------------------
    def show_error(self, text: str) -> None:
        self.message.emit(text, ERROR)

    def _set_placeholder(self, text: str) -> None:
        self.placeholder = text
        self.placeholder_changed.emit(text)

    def _idle_placeholder(self, count: int | None = None) -> None:
        if self.query and self.outcome is not None and not self.outcome.items:
            self._set_placeholder("No matching photos.")
        elif count == 0 or (count is None and not self.session.has_vectors):
            self._set_placeholder(
                "The library is empty. Click “Add folder…” on the left to index your photos."
            )
        else:
            self._set_placeholder(
                "Type what you remember, or drop a photo here to find similar ones."
            )

    # -- shutdown ---------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop indexing (finishing its checkpoint), wait for workers, close the library."""
        if self._closed:
            return
        self._closed = True
        self._debounce.stop()
        self.folders.stop_indexing()
        self.pool.waitForDone()
        self.session.close()

"""What the window does, without the window: session, model, searches, folders, settings.

The controller owns the session (library + model), the model's loading, the worker jobs,
the settings, and two parts with their own state: ``folders`` (the folders and their
background indexing, app/gui/folders_controller.py), ``search`` (the order of
searches, app/gui/search_controller.py) and ``duplicates`` (near-duplicate groups,
app/gui/duplicates_controller.py). It holds its state in plain
attributes and announces each change by a signal; the window
(app/gui/main_window.py) only builds widgets, forwards the user's requests here, and
shows what the signals carry. Tests drive and observe the controller the same way.

(Over 300 lines: the session's lifecycle (open, model load, model change kept until the
new one loads, close) is one state machine; folders, searches and duplicates are split out.)
"""

from __future__ import annotations

import gc
import os

from PySide6.QtCore import QObject, QThreadPool, Signal

from app import context
from app.gui import desktop
from app.gui.browse_controller import BrowseController
from app.gui.duplicates_controller import DuplicatesController
from app.gui.filters_controller import FiltersController
from app.gui.folders_controller import FoldersController, LibraryState
from app.gui.messages import for_window
from app.gui.options import GuiOptions
from app.gui.photo_actions import ExportOutcome, TrashOutcome, copy_to_folder, move_to_trash
from app.gui.search_controller import SearchController
from app.gui.session import ModelInfo, Session
from app.gui.settings import GuiSettings
from app.gui.translator import counted
from app.gui.user_activity import UserActivity
from app.gui.workers import Jobs
from app.messages import localized_text
from engine.encoder import ClipEncoder
from index.scanner import has_image_suffix

ERROR, INFO = "error", "info"


class WindowController(QObject):
    ready = Signal()  # the model is loaded and searches run
    model_changed = Signal(object)  # ModelInfo; None while loading or after a failure
    placeholder_changed = Signal(str)  # what the empty grid says
    message = Signal(str, str)  # text, ERROR or INFO
    message_cleared = Signal()  # the error on show is stale
    toast = Signal(str)  # a short confirmation ("Copied 3 paths")
    library_failed = Signal(str)  # the library could not be opened
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
        self.search = SearchController(self.session, self.jobs, settings, self)
        self.duplicates = DuplicatesController(self.session, self.jobs, self.trash, self)
        self.browse = BrowseController(self.session, self.jobs, self)
        self.filters = FiltersController(self)
        self.activity = UserActivity()  # the window reports scrolls and keystrokes
        self.filters.changed.connect(self.search.set_filter)
        self.filters.changed.connect(self.browse.set_filter)
        self.filters.sort_changed.connect(self.search.set_sort)
        self.filters.error.connect(self.show_error)
        self.browse.thumbnails.set_box(settings.thumb)
        self.placeholder = self.tr("Opening the library…")
        self._pending_model: tuple[str | None, str | None] | None = None  # (model, weights)
        self._closed = False
        self._text_noted = False  # the reason text search is unavailable was shown
        self._objects_frozen = False
        self.folders.error.connect(self.show_error)
        self.folders.library_changed.connect(self._library_changed)
        self.browse.error.connect(self.show_error)
        self.search.error.connect(self.show_error)
        self.search.recovered.connect(self.message_cleared)
        self.search.results_changed.connect(self._results_changed)
        self.search.waiting.connect(self._search_waits)

    # -- start-up and the model -------------------------------------------------------
    def start(self) -> None:
        self.jobs.start(
            self.session.open_library, on_result=self._library_opened, on_error=self._open_failed
        )

    def _open_failed(self, message: str) -> None:
        self.show_error(self.tr("Cannot open the library: {reason}").format(reason=message))
        self._set_placeholder(self.tr("The library could not be opened."))
        self.library_failed.emit(message)

    def _library_opened(self, notice: str | None) -> None:
        if notice:
            self.message.emit(notice, INFO)
        self.writable_changed.emit(not self.session.read_only)
        library = self.session.library  # (None when the window closed meanwhile)
        if library is not None and not self.session.read_only:
            library.yield_to_user(self.activity.busy)
        self.folders.refresh()
        self.browse.reload()  # browsing needs no model
        # the command line's model, else the library's own, else the recommended one
        self._load_model(self.options.model, self.options.weights, change=False)

    def _load_model(self, model: str | None, weights: str | None, *, change: bool) -> None:
        """Load in the background; the model in use (if any) serves until the new one has
        loaded, and stays if it fails."""
        self.loading_model = True
        self.model_changed.emit(self.model_info)
        if self.model_info is None:
            name = model or self.tr("library default")
            self._set_placeholder(self.tr("Loading the model ({name})…").format(name=name))
            self._indexing_unavailable(
                self.tr("The model is still loading; try again in a moment.")
            )
        self.jobs.start(
            lambda: self.session.prepare_model(model, weights, change=change),
            on_result=self._model_prepared,
            on_error=self._model_failed,
        )

    def _model_prepared(self, prepared: tuple[ClipEncoder, ModelInfo]) -> None:
        if self._closed:
            return
        encoder, info = prepared
        service = self.folders.take_indexing()  # it must not write while the model changes

        def switch() -> ModelInfo:
            if service is not None:
                service.stop()
            self.session.use_model(encoder)
            return info

        self.jobs.start(switch, on_result=self._model_loaded, on_error=self._model_failed)

    def _model_failed(self, message: str) -> None:
        self.loading_model = False
        self._pending_model = None
        self.model_changed.emit(self.model_info)
        message = for_window(message)
        if self.model_info is not None:
            self.show_error(
                self.tr("Could not load that model: {reason}. Still using {name}.").format(
                    reason=message, name=self.model_info.name
                )
            )
            return
        self._indexing_unavailable(self.tr("No model is loaded; pick one in Settings."))
        if self.session.has_vectors:
            self.show_error(self.tr("Could not load the model: {reason}").format(reason=message))
        else:  # a new library: say what to do now
            self.show_error(
                self.tr(
                    "Could not load the recommended model: {reason}. To start now, choose a"
                    " model in Settings (the demo model works offline). Folders you add are"
                    " indexed once a model has loaded."
                ).format(reason=message)
            )
        self._set_placeholder(self.tr("No model is loaded. Pick one in Settings…"))
        self.folders.refresh()

    def _model_loaded(self, info: ModelInfo) -> None:
        if self._closed:
            return
        self.loading_model = False
        self.model_info = info
        self.search.can_search = True
        if self._pending_model is not None:
            self.settings.model, self.settings.weights = self._pending_model
            self._pending_model = None
        self.model_changed.emit(info)
        if info.note:
            note = for_window(info.note)
            self.message.emit(note[0].upper() + note[1:], INFO)
        self.folders.start_indexing(
            watch=self.options.watch,
            rescan_s=self.options.rescan_s,
            indexer_options=self.options.indexer_options,
        )
        reason = context.text_unavailable_reason()
        if reason and not self._text_noted:  # said once per window
            self._text_noted = True
            reason = localized_text(reason)
            self.message.emit(reason[0].upper() + reason[1:] + ".", INFO)
        self.folders.refresh()
        if not self._objects_frozen:
            self._objects_frozen = True
            _freeze_what_lasts()
        self.ready.emit()
        if self.search.query or self.search.outcome is not None:
            self.search.rerun()  # typed while loading, or results of the previous model
        else:
            self._idle_placeholder()

    # -- searching --------------------------------------------------------------------
    def _search_waits(self) -> None:
        if self.loading_model:
            self._set_placeholder(self.tr("Loading the model… your search runs when it is ready."))

    def _results_changed(self, outcome) -> None:
        if outcome is None or not outcome.items:
            self._idle_placeholder()

    # -- acting on a photo ------------------------------------------------------------
    def open_photo(self, path: str) -> None:
        if not desktop.open_file(path):
            self.show_error(self.tr("No application could open {path}").format(path=path))

    def reveal_photo(self, path: str) -> None:
        if not desktop.reveal_file(path):
            self.show_error(self.tr("Could not show {path} in its folder").format(path=path))

    def drop(self, paths: list[str]) -> None:
        """Something was dropped on the window: a photo finds similar ones, a folder is
        added to the library; anything else gets a word on what would work."""
        path = paths[0]
        name = os.path.basename(path.rstrip(os.sep)) or path
        if os.path.isdir(path):
            self.folders.add_folder(path)
            if self.folders.indexing is not None:
                self.toast.emit(
                    self.tr("Adding the folder {name} to the library").format(name=name)
                )
        elif has_image_suffix(path):
            self.search.search_with_image(path)  # with the text in the field, if any
        else:
            self.show_error(
                self.tr(
                    "{name} is not a photo. Drop a photo to find similar ones, or a folder to"
                    " add it to the library."
                ).format(name=name)
            )

    def remove_folder(self, path: str) -> None:
        """Remove a folder from the library (its files stay on disk); its photos leave the
        results on show at once."""
        if self.folders.indexing is not None:
            self.search.drop_under(path)
            if self.filters.filter.folder == path:
                self.filters.clear("folder")
        self.folders.remove_folder(path)

    def copy_paths(self, paths: list[str]) -> None:
        desktop.copy_text("\n".join(paths))
        self.toast.emit(
            counted(
                len(paths),
                self.tr("Copied {count} path to the clipboard"),
                self.tr("Copied {count} paths to the clipboard"),
            )
        )

    def export(self, paths: list[str], folder: str) -> None:
        """Copy the photos into ``folder`` (the originals stay where they are)."""
        self.jobs.start(copy_to_folder, list(paths), folder, on_result=self._exported)

    def _exported(self, outcome: ExportOutcome) -> None:
        if outcome.error:
            self.show_error(outcome.error)
        elif outcome.copied:
            folder = os.path.dirname(outcome.copied[0])
            self.toast.emit(
                counted(
                    len(outcome.copied),
                    self.tr("Copied {count} photo to {folder}"),
                    self.tr("Copied {count} photos to {folder}"),
                    folder=folder,
                )
            )

    def trash(self, paths: list[str]) -> None:
        """Move the photos to the system trash; they leave the results and the library now."""
        self.jobs.start(move_to_trash, list(paths), on_result=self._trashed)

    def _trashed(self, outcome: TrashOutcome) -> None:
        self.search.drop(outcome.moved)
        if outcome.moved and self.folders.indexing is not None:
            self.folders.indexing.rescan(outcome.moved)
        if outcome.error:
            self.show_error(outcome.error)
        elif outcome.moved:
            self.toast.emit(
                counted(
                    len(outcome.moved),
                    self.tr("Moved {count} photo to the trash"),
                    self.tr("Moved {count} photos to the trash"),
                )
            )

    def _indexing_unavailable(self, why: str) -> None:
        if self.session.read_only:
            why = self.tr("The library is read-only while another photosearch process updates it.")
        self.folders.unavailable = why

    def _library_changed(self, state: LibraryState) -> None:
        self.browse.library_changed(state.photos)
        if self.model_info and self.search.outcome is None:
            self._idle_placeholder(state.photos)

    def set_thumb_size(self, side: int) -> None:
        """The grid's thumbnail size, remembered for the next start."""
        if side != self.settings.thumb:
            self.settings.thumb = side
            self.settings.save()
        self.browse.thumbnails.set_box(side)

    # -- settings ---------------------------------------------------------------------
    def apply_settings(self, new: GuiSettings) -> None:
        """Apply what Settings chose; a new model is remembered once it has loaded."""
        if new.results != self.settings.results:
            self.search.set_result_count(new.results)
        if new.language != self.settings.language:
            self.settings.language = new.language
            self.settings.save()
            self.message.emit(
                self.tr("The new language shows the next time photosearch starts."), INFO
            )
        chosen = (new.model, new.weights)
        if chosen == (self.settings.model, self.settings.weights) or self.loading_model:
            return
        if new.model is None:  # back to the library's own model, which is the one in use
            self.settings.model, self.settings.weights = chosen
            return
        self._pending_model = chosen
        self._load_model(new.model, new.weights, change=True)

    # -- messages ---------------------------------------------------------------------
    def show_error(self, text: str) -> None:
        self.message.emit(text, ERROR)

    def _set_placeholder(self, text: str) -> None:
        self.placeholder = text
        self.placeholder_changed.emit(text)

    def _idle_placeholder(self, count: int | None = None) -> None:
        outcome = self.search.outcome
        if self.search.query and outcome is not None and not outcome.items:
            self._set_placeholder(self.tr("No matching photos."))
        elif count == 0 or (count is None and not self.session.has_vectors):
            self._set_placeholder(
                self.tr(
                    "The library is empty. Click “Add folder…” on the left to index your photos."
                )
            )
        else:
            self._set_placeholder(
                self.tr("Type what you remember, or drop a photo here to find similar ones.")
            )

    # -- shutdown ---------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop indexing (finishing its checkpoint), wait for workers, close the library."""
        if self._closed:
            return
        self._closed = True
        self.jobs.close()
        self.search.stop_timers()
        self.folders.stop_indexing()
        self.browse.close()
        self.pool.waitForDone()
        self.session.close()


def _freeze_what_lasts() -> None:
    """What the window has built by its first ready (widgets, their Python objects, the
    model's) lives as long as the window: keep it out of the cyclic GC's full collections,
    which hold the GIL and so stop the event loop for as long as they traverse it (as
    engine/encoder.py does for what the model code imports; docs/BENCHMARKS.md)."""
    gc.collect()
    gc.freeze()

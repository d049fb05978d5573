"""Follow library folders on disk and report which paths need a rescan.

A watchdog ``Observer`` watches every library folder recursively. Events are collected,
not acted on: a path is reported to ``on_paths`` once its events have stopped for
``debounce_s`` and, for a file, its size and mtime have stayed the same for ``quiet_s``
(a camera-card copy in progress is not indexed half-written). A move is reported as
source and destination together, so the scanner can keep the photo's vector.

Every ``poll_s`` the watcher re-reads the folder list and checks that each folder still
exists: a folder that disappears (unplugged drive) is unwatched, its photos kept; when
it comes back (or is replaced by another folder at the same path) it is watched again
and rescanned. A folder that cannot be watched (inotify limit) is rescanned every
``fallback_rescan_s`` instead.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from watchdog.events import (
    DirModifiedEvent,
    FileClosedNoWriteEvent,
    FileOpenedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from index.catalog import Catalog
from index.error_text import N_

log = logging.getLogger("photosearch.index")

PathsCallback = Callable[[list[str]], object]
_IGNORED = (FileOpenedEvent, FileClosedNoWriteEvent, DirModifiedEvent)


@dataclass
class _Pending:
    last_event: float
    moved_from: set[str] = field(default_factory=set)
    stat: tuple | None = None
    stat_since: float = 0.0
    checked: bool = False


@dataclass
class _Folder:
    watch: ObservedWatch | None = None
    identity: tuple[int, int] | None = None  # (st_dev, st_ino) while present
    polled_at: float = 0.0


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: FolderWatcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if isinstance(event, _IGNORED):
            return
        src = os.fsdecode(event.src_path)
        dest = os.fsdecode(event.dest_path) if event.dest_path else ""
        if event.event_type == "moved" and dest:
            self.watcher.touch(dest, moved_from=src)
        else:
            self.watcher.touch(src)


class FolderWatcher:
    """Report changed paths below the catalog's folders to ``on_paths`` (a list each time)."""

    def __init__(
        self,
        catalog: Catalog,
        on_paths: PathsCallback,
        *,
        debounce_s: float = 0.2,
        quiet_s: float = 0.4,
        poll_s: float = 1.0,
        fallback_rescan_s: float = 60.0,
        tick_s: float = 0.05,
    ) -> None:
        self.catalog = catalog
        self.on_paths = on_paths
        self.debounce_s = debounce_s
        self.quiet_s = quiet_s
        self.poll_s = poll_s
        self.fallback_rescan_s = fallback_rescan_s
        self.tick_s = tick_s
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()
        self._folders: dict[str, _Folder] = {}
        self._observer = Observer()
        self._handler = _Handler(self)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------
    def start(self) -> None:
        self._sync_folders(initial=True)
        self._observer.start()
        self._thread = threading.Thread(target=self._run, name="photosearch-watcher")
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join()

    @property
    def watched(self) -> list[str]:
        """Folders currently watched by the OS (missing ones are not)."""
        return sorted(path for path, f in self._folders.items() if f.watch is not None)

    # -- events (observer thread) -----------------------------------------------------
    def touch(self, path: str, moved_from: str | None = None) -> None:
        now = time.monotonic()
        with self._lock:
            entry = self._pending.get(path)
            if entry is None:
                entry = self._pending[path] = _Pending(now)
            entry.last_event = now
            if moved_from:
                entry.moved_from.add(moved_from)
                # The source, and anything still pending below a moved folder, is reported
                # with the destination, never on its own: alone, a path that is gone reads
                # as a deletion and the photo would lose its vector.
                below = moved_from + os.sep
                for old in [p for p in self._pending if p == moved_from or p.startswith(below)]:
                    source = self._pending.pop(old)
                    entry.moved_from |= source.moved_from | {old}

    # -- the tick thread ----------------------------------------------------------------
    def _run(self) -> None:
        next_poll = time.monotonic() + self.poll_s
        while not self._stop.wait(self.tick_s):
            try:
                ready = self._ready_paths()
                if ready:
                    self.on_paths(ready)
                if time.monotonic() >= next_poll:
                    next_poll = time.monotonic() + self.poll_s
                    self._sync_folders()
            except Exception:  # never let the watcher die silently
                log.exception(N_("folder watcher error"))

    def _ready_paths(self) -> list[str]:
        now = time.monotonic()
        ready: list[str] = []
        with self._lock:
            candidates = [
                (path, entry)
                for path, entry in self._pending.items()
                if now - entry.last_event >= self.debounce_s
            ]
        for path, entry in candidates:
            current = _stat(path)
            vanished = entry.checked and current is None and entry.stat is not None
            if not entry.checked or current != entry.stat:
                entry.stat, entry.stat_since, entry.checked = current, now, True
                if vanished or (current is not None and current[0] == "file"):
                    continue  # a path just gone waits for the move event that may explain it
            elif current is None and now - entry.stat_since < self.debounce_s:
                continue
            elif (
                current is not None
                and current[0] == "file"
                and now - entry.stat_since < (self.quiet_s)
            ):
                continue
            with self._lock:
                if self._pending.get(path) is entry and entry.last_event <= now:
                    del self._pending[path]
                    ready.append(path)
                    ready.extend(entry.moved_from)
        return ready

    # -- folders --------------------------------------------------------------------------
    def _sync_folders(self, initial: bool = False) -> None:
        wanted = {folder.path for folder in self.catalog.folders()}
        for path in list(self._folders):
            if path not in wanted:
                self._unwatch(path)
                del self._folders[path]
        rescan: list[str] = []
        for path in sorted(wanted):
            state = self._folders.setdefault(path, _Folder())
            identity = _identity(path)
            if identity is None:
                if state.identity is not None or initial:
                    log.warning(N_("folder missing (unplugged?), its photos are kept: %s"), path)
                self._unwatch(path)
                state.identity = None
                continue
            if identity != state.identity:
                if state.identity is None and not initial:
                    log.info(N_("folder is back: %s"), path)
                self._unwatch(path)
                state.identity = identity
                self._watch(path, state)
                if not initial:
                    rescan.append(path)
            elif state.watch is None and (
                time.monotonic() - state.polled_at >= self.fallback_rescan_s
            ):
                state.polled_at = time.monotonic()
                rescan.append(path)
        if rescan:
            self.on_paths(rescan)

    def _watch(self, path: str, state: _Folder) -> None:
        try:
            state.watch = self._observer.schedule(self._handler, path, recursive=True)
        except OSError as exc:
            state.watch = None
            state.polled_at = time.monotonic()
            log.warning(
                N_("cannot watch %s (%s); rescanning it every %.0f s instead"),
                path,
                exc.strerror or exc,
                self.fallback_rescan_s,
            )

    def _unwatch(self, path: str) -> None:
        state = self._folders.get(path)
        if state is None or state.watch is None:
            return
        try:
            self._observer.unschedule(state.watch)
        except (KeyError, OSError):
            pass  # the OS already dropped the watch with the folder
        state.watch = None


def _stat(path: str) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    if os.path.isdir(path):
        return ("dir",)
    return ("file", st.st_size, st.st_mtime_ns)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not os.path.isdir(path):
        return None
    return (st.st_dev, st.st_ino)

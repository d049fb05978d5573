"""Grid thumbnails loaded on demand, off the GUI thread, into a bounded cache.

The grid asks for the thumbnails of the cells it paints. Requests are served newest
first (what is on screen now, not what was scrolled past), the queue keeps only the
latest ``QUEUE_LIMIT``, and the cache keeps at most ``CACHE_BYTES`` of images,
dropping the least recently shown.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage

from app.gui.results_model import load_thumbnail

CACHE_BYTES = 96 * 1024 * 1024
QUEUE_LIMIT = 400  # more than a screenful of the smallest thumbnails
THREADS = 2


class _Signals(QObject):
    loaded = Signal(int, int, QImage)  # photo id, box, image


class _Drain(QRunnable):
    """Loads queued thumbnails until the queue is empty."""

    def __init__(self, loader: ThumbnailLoader) -> None:
        super().__init__()
        self.loader = loader

    def run(self) -> None:
        while (job := self.loader._next()) is not None:
            photo_id, path, box, thumbs_dir = job
            try:
                image = load_thumbnail(thumbs_dir, photo_id, path, box)
            except Exception:  # an unreadable file shows as an empty cell, never a crash
                image = QImage()
            self.loader._signals.loaded.emit(photo_id, box, image)


class ThumbnailLoader(QObject):
    loaded = Signal(int)  # photo id whose thumbnail is now in the cache

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.box = 160
        self.thumbs_dir: Path | None = None
        self.loads = 0  # thumbnails decoded (tests and the benchmark read it)
        self._cache: OrderedDict[int, tuple[QImage, int]] = OrderedDict()  # image, box
        self._bytes = 0
        self._queue: OrderedDict[int, str] = OrderedDict()  # photo id -> path, newest last
        self._lock = threading.Lock()
        self._draining = 0
        self._closed = False
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(THREADS)
        self._signals = _Signals(self)
        self._signals.loaded.connect(self._arrived)

    def set_box(self, box: int) -> None:
        """A new thumbnail size: cached ones still show (scaled) until reloaded."""
        self.box = box

    def image(self, photo_id: int, path: str) -> QImage | None:
        """The cached thumbnail, or None after asking for it to be loaded."""
        cached = self._cache.get(photo_id)
        if cached is None:
            self._request(photo_id, path)
            return None
        self._cache.move_to_end(photo_id)
        if cached[1] != self.box:
            self._request(photo_id, path)
        return cached[0]

    def _request(self, photo_id: int, path: str) -> None:
        if self.thumbs_dir is None or self._closed:
            return
        with self._lock:
            self._queue[photo_id] = path
            self._queue.move_to_end(photo_id)
            while len(self._queue) > QUEUE_LIMIT:
                self._queue.popitem(last=False)  # scrolled past long ago
            start = self._draining < THREADS
            if start:
                self._draining += 1
        if start:
            self._pool.start(_Drain(self))

    def _next(self) -> tuple[int, str, int, Path] | None:
        with self._lock:
            if not self._queue or self._closed or self.thumbs_dir is None:
                self._draining -= 1
                return None
            photo_id, path = self._queue.popitem(last=True)
            return photo_id, path, self.box, self.thumbs_dir

    def _arrived(self, photo_id: int, box: int, image: QImage) -> None:
        self.loads += 1
        old = self._cache.pop(photo_id, None)
        if old is not None:
            self._bytes -= _size(old[0])
        self._cache[photo_id] = (image, box)  # painted as it is (RGB32, the cell's size)
        self._bytes += _size(image)
        while self._bytes > CACHE_BYTES and len(self._cache) > 1:
            _, (dropped, _box) = self._cache.popitem(last=False)
            self._bytes -= _size(dropped)
        self.loaded.emit(photo_id)

    @property
    def cached(self) -> int:
        return len(self._cache)

    @property
    def cached_bytes(self) -> int:
        return self._bytes

    def forget(self) -> None:
        """Drop the queue (the listing changed); the cache stays."""
        with self._lock:
            self._queue.clear()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._queue.clear()
        self._pool.waitForDone()


def _size(image: QImage) -> int:
    return max(1, image.width() * image.height() * 4)

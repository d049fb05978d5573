"""The hnswlib vector store: labels are catalog ids, cosine similarity on unit vectors.

hnswlib is not safe for concurrent ``add_items``/``knn_query`` and ``resize_index``. Two
locks: ``_lock`` guards the index against concurrent mutation (held by queries and, briefly,
by each add/remove), ``_write_lock`` serialises the mutators and ``save``. A save only reads
the index, so queries keep running while it writes; adds wait for it.

Saves are atomic (temp file, fsync, ``os.replace``) and verified: hnswlib's writer ignores
write errors, so the temp file's length is checked against the format before it replaces
the previous file. A failed save (disk full) raises :class:`StoreSaveError` and leaves the
previous file intact.
"""

from __future__ import annotations

import errno
import os
import struct
import threading
from collections.abc import Iterable
from pathlib import Path

import hnswlib
import numpy as np

from index.atomic import atomic_target
from index.disk_space import DISK_FULL_ERRNOS, disk_full_message

# Defaults: the smallest M / ef_construction / ef that keep recall@10 >= 0.99 at 1M in the
# bench.scale sweep. Text queries sit across the modality gap, far from the image vectors,
# and need a wider search. Figures: docs/BENCHMARKS.md, "Scale: a million photos".
DEFAULT_M = 16
DEFAULT_EF_CONSTRUCTION = 100
DEFAULT_EF_SEARCH = 192
TEXT_EF_SEARCH = 768
GROWTH = 1.2
MIN_CAPACITY = 1024
ADD_CHUNK = 8  # vectors added per hold of the query lock


class VectorStoreError(Exception):
    """The vector file cannot be used; ``str(err)`` is the user-facing reason."""


class StoreSaveError(VectorStoreError):
    """Saving failed (disk full, I/O error); the previous saved file is intact."""


class VectorStore:
    def __init__(
        self,
        path: str | Path,
        dim: int,
        *,
        m: int = DEFAULT_M,
        ef_construction: int = DEFAULT_EF_CONSTRUCTION,
        ef_search: int = DEFAULT_EF_SEARCH,
    ) -> None:
        self.path = Path(path)
        self.dim = dim
        self.ef_search = ef_search
        self._lock = threading.RLock()
        self._write_lock = threading.RLock()
        self._index = hnswlib.Index(space="ip", dim=dim)
        self._live: set[int] = set()
        self._dirty = False
        if self.path.exists():
            self._load()
        else:
            self._index.init_index(
                max_elements=MIN_CAPACITY, M=m, ef_construction=ef_construction, random_seed=100
            )
        self._index.set_ef(ef_search)

    def _load(self) -> None:
        try:
            self._index.load_index(str(self.path), allow_replace_deleted=False)
        except (RuntimeError, ValueError) as exc:
            raise VectorStoreError(f"cannot read vector store {self.path}: {exc}") from None
        if self._index.dim != self.dim:
            raise VectorStoreError(
                f"vector store {self.path} holds {self._index.dim}-d vectors, expected {self.dim}"
            )
        live = _live_labels_in_file(self.path, self._index.get_current_count())
        if live is None:
            # get_ids_list includes deleted labels; only live ones can be fetched.
            live = self._live_among([int(x) for x in self._index.get_ids_list()])
        self._live = set(live)

    def _live_among(self, labels: list[int]) -> list[int]:
        live: list[int] = []
        chunks = [labels[i : i + 4096] for i in range(0, len(labels), 4096)]
        while chunks:
            chunk = chunks.pop()
            try:
                self._index.get_items(chunk)
                live.extend(chunk)
            except RuntimeError:  # a deleted label in the chunk: split it
                if len(chunk) > 1:
                    half = len(chunk) // 2
                    chunks += [chunk[:half], chunk[half:]]
        return live

    # -- queries ----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._live)

    def __contains__(self, label: int) -> bool:
        return label in self._live

    def labels(self) -> set[int]:
        with self._lock:
            return set(self._live)

    @property
    def capacity(self) -> int:
        return self._index.get_max_elements()

    def search(
        self, vectors: np.ndarray, k: int, ef: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Nearest ``k`` per query row: (labels, cosine similarities), best first.

        ``ef`` widens (or narrows) the search for this call only (default: ``ef_search``).
        ``k`` is capped at the number of live vectors; hnswlib throws when it cannot
        find ``k`` (possible with many deleted elements), so retry with a larger ef.
        """
        queries = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        with self._lock:
            k = min(k, len(self._live))
            if k <= 0:
                empty = np.zeros((len(queries), 0))
                return empty.astype(np.int64), empty.astype(np.float32)
            ef = max(ef or self.ef_search, k)
            while True:
                self._index.set_ef(ef)
                try:
                    labels, distances = self._index.knn_query(queries, k=k)
                    break
                except RuntimeError:
                    if ef >= self._index.get_current_count():
                        raise
                    ef = min(ef * 4, self._index.get_current_count())
            self._index.set_ef(self.ef_search)
        return labels.astype(np.int64), (1.0 - distances).astype(np.float32)

    def search_filtered(
        self, vector: np.ndarray, k: int, accept: np.ndarray, ef: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Nearest ``k`` among labels whose entry in the boolean array ``accept`` is set
        (hnswlib's filtered search: rejected nodes are walked, never returned). Raises
        ``RuntimeError`` when the graph search finds fewer than ``k``."""
        query = np.atleast_2d(np.asarray(vector, dtype=np.float32))
        size = len(accept)

        def allowed(label: int) -> bool:
            return label < size and bool(accept[label])

        with self._lock:
            self._index.set_ef(max(ef, k))
            try:
                labels, distances = self._index.knn_query(query, k=k, filter=allowed)
            finally:
                self._index.set_ef(self.ef_search)
        return labels[0].astype(np.int64), (1.0 - distances[0]).astype(np.float32)

    def get(self, labels: Iterable[int]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._index.get_items(list(labels)), dtype=np.float32)

    # -- writes -----------------------------------------------------------------------
    def add(self, labels: Iterable[int], vectors: np.ndarray) -> None:
        """Add or replace the vectors of ``labels`` (a re-added label is un-deleted)."""
        labels = np.asarray(list(labels), dtype=np.int64)
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(labels), self.dim)
        if len(labels) == 0:
            return
        with self._write_lock:
            needed = self._index.get_current_count() + len(labels)
            if needed > self.capacity:
                with self._lock:
                    self._index.resize_index(max(int(self.capacity * GROWTH), needed))
            # Small chunks keep each hold of the query lock short (searches interleave).
            for start in range(0, len(labels), ADD_CHUNK):
                chunk = labels[start : start + ADD_CHUNK]
                with self._lock:
                    self._index.add_items(vectors[start : start + ADD_CHUNK], chunk, num_threads=1)
                    self._live.update(int(label) for label in chunk)
                    self._dirty = True

    def remove(self, labels: Iterable[int]) -> None:
        with self._write_lock, self._lock:
            for label in labels:
                label = int(label)
                if label in self._live:
                    self._index.mark_deleted(label)
                    self._live.discard(label)
                    self._dirty = True

    @property
    def dirty(self) -> bool:
        return self._dirty

    def save(self) -> None:
        """Write the index atomically; the previous file stays intact on any failure.

        Raises :class:`StoreSaveError` (with the OS reason, e.g. disk full) when the file
        cannot be written completely; the store stays dirty so a later save retries.
        """
        with self._write_lock:
            try:
                with atomic_target(self.path) as tmp:
                    _write_index(self._index, tmp)
                    check_index_file(tmp)
            except OSError as exc:
                if exc.errno in DISK_FULL_ERRNOS:
                    reason = disk_full_message(self.path.parent)
                else:
                    reason = (
                        f"could not save the vector store {self.path.name}: {exc.strerror or exc}"
                    )
                raise StoreSaveError(f"{reason}; the previously saved index is intact") from exc
            self._dirty = False


def _write_index(index: hnswlib.Index, path: Path) -> None:
    index.save_index(str(path))


# hnswlib's file: a 96-byte header, cur_count level-0 records, then per element a uint32
# link-list size followed by that many bytes (hnswalg.h saveIndex).
_HEADER = struct.Struct("<6QiI3QdQ")


def check_index_file(path: str | Path) -> None:
    """Raise ``OSError(ENOSPC)`` unless ``path`` is a complete hnswlib index file.

    hnswlib's ``save_index`` does not report write errors, so a full disk would
    otherwise leave a silently truncated file.
    """
    size = os.path.getsize(path)
    incomplete = OSError(errno.ENOSPC, "incomplete write (disk full?)", str(path))
    with open(path, "rb") as f:
        head = f.read(_HEADER.size)
        if len(head) < _HEADER.size:
            raise incomplete
        fields = _HEADER.unpack(head)
        count, per_element = fields[2], fields[3]
        pos = _HEADER.size + count * per_element
        if pos > size:
            raise incomplete
        f.seek(pos)
        blob = f.read()
    view = memoryview(blob)
    offset = 0
    for _ in range(count):
        if offset + 4 > len(view):
            raise incomplete
        (links,) = struct.unpack_from("<I", view, offset)
        offset += 4 + links
    if offset != len(view):
        raise incomplete


_DELETE_MARK_OFFSET = 2  # hnswlib keeps the deleted flag in byte 2 of an element's record


def _live_labels_in_file(path: Path, count: int) -> list[int] | None:
    """The labels not marked deleted, read straight from the saved records.

    Asking hnswlib element by element takes tens of seconds at a million photos; this
    reads one flag and one label per record. None when the file does not look as
    expected (the caller then asks hnswlib).
    """
    try:
        with open(path, "rb") as f:
            fields = _HEADER.unpack(f.read(_HEADER.size))
        offset_level0, _, cur_count, per_element, label_offset = fields[:5]
        if cur_count != count or offset_level0 != 0:
            return None
        records = np.memmap(
            path, dtype=np.uint8, mode="r", offset=_HEADER.size, shape=(cur_count, per_element)
        )
        labels = np.ascontiguousarray(records[:, label_offset : label_offset + 8]).view("<u8")
        deleted = (records[:, _DELETE_MARK_OFFSET] & 1).astype(bool)
        return [int(x) for x in labels.ravel()[~deleted]]
    except (OSError, ValueError, struct.error):
        return None

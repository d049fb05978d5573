"""The vector store's change log: an append-only file of added and removed vectors.

A checkpoint appends the changes since the previous one and fsyncs, so its cost is what
changed, not what exists; the hnswlib snapshot is rewritten only by compaction. Layout: a
16-byte header (magic, dimension), then records, each ``u32 payload length, u32 CRC32 of
the payload, payload``; a payload is ``u8 kind, u32 count, count int64 labels`` and, for
an add, ``count x dim float32`` vectors. Reading stops at the first record that is short or
fails its checksum: a torn or corrupt tail is never half-applied.

Replaying is idempotent per label (the last change to a label decides its state), which is
what makes compaction safe: a new snapshot replayed with the old log gives the same store.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.store_files import log_path  # noqa: F401  (where the log is: part of its API)

MAGIC = b"PSVLOG1\0"
_HEADER = struct.Struct("<8sII")  # magic, dim, reserved
_RECORD = struct.Struct("<II")  # payload length, CRC32
_PAYLOAD = struct.Struct("<BI")  # kind, count
HEADER_SIZE = _HEADER.size
ADD, REMOVE = 1, 2


@dataclass
class Change:
    kind: int  # ADD or REMOVE
    labels: np.ndarray  # int64
    vectors: np.ndarray | None = None  # float32 (count, dim) for an add


def encode(changes: list[Change]) -> bytes:
    parts = []
    for change in changes:
        labels = np.ascontiguousarray(change.labels, dtype="<i8")
        payload = _PAYLOAD.pack(change.kind, len(labels)) + labels.tobytes()
        if change.kind == ADD:
            assert change.vectors is not None
            payload += np.ascontiguousarray(change.vectors, dtype="<f4").tobytes()
        parts.append(_RECORD.pack(len(payload), zlib.crc32(payload)) + payload)
    return b"".join(parts)


def header(dim: int) -> bytes:
    return _HEADER.pack(MAGIC, dim, 0)


def has_header(head: bytes, dim: int) -> bool:
    if len(head) < HEADER_SIZE:
        return False
    magic, file_dim, _ = _HEADER.unpack_from(head)
    return magic == MAGIC and file_dim == dim


def read_changes(f, dim: int, start: int, end: int | None = None) -> Iterator[tuple[Change, int]]:
    """Changes from byte ``start`` of the open log ``f``, each with the offset after it.

    Stops quietly at ``end`` (a record boundary; default: the end of the file), or at a
    short or corrupt record (the caller keeps the last offset it was given: everything
    before it is sound).
    """
    f.seek(start)
    while end is None or start < end:
        head = f.read(_RECORD.size)
        if len(head) < _RECORD.size:
            return
        length, crc = _RECORD.unpack(head)
        payload = f.read(length)
        if len(payload) < length or length < _PAYLOAD.size or zlib.crc32(payload) != crc:
            return
        kind, count = _PAYLOAD.unpack_from(payload)
        labels_end = _PAYLOAD.size + 8 * count
        expected = labels_end + (4 * dim * count if kind == ADD else 0)
        if kind not in (ADD, REMOVE) or length != expected:
            return
        labels = np.frombuffer(payload, "<i8", count, _PAYLOAD.size).astype(np.int64)
        vectors = None
        if kind == ADD:
            vectors = np.frombuffer(payload, "<f4", count * dim, labels_end).reshape(count, dim)
        start += _RECORD.size + length
        yield Change(kind, labels, vectors), start


class LogWriter:
    """Appends to the log; only the library's writer holds one.

    ``end`` is the offset after the last record known to be durable: a failed append
    (disk full) is cut back to it, so a later append never follows a torn record.
    """

    def __init__(self, path: Path, dim: int, end: int) -> None:
        self.path = path
        self.dim = dim
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        self.end = end
        if end == 0:  # a new (or unusable) log: start it over with its header
            self._write_at(0, header(dim))
            self.end = HEADER_SIZE
        elif os.fstat(self._fd).st_size != end:
            os.ftruncate(self._fd, end)  # drop a torn tail a crash left
            os.fsync(self._fd)

    def append(self, changes: list[Change]) -> int:
        """Write ``changes`` after the last record and fsync; returns the bytes written."""
        data = encode(changes)
        self._write_at(self.end, data)
        self.end += len(data)
        return len(data)

    def _write_at(self, offset: int, data: bytes) -> None:
        try:
            _pwrite_all(self._fd, data, offset)
            os.ftruncate(self._fd, offset + len(data))
            os.fsync(self._fd)
        except OSError:
            try:
                os.ftruncate(self._fd, self.end)
            except OSError:
                pass
            raise

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _pwrite_all(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    if not hasattr(os, "pwrite"):  # Windows: only the writer's thread writes the log
        os.lseek(fd, offset, os.SEEK_SET)
    while view:
        if hasattr(os, "pwrite"):
            written = os.pwrite(fd, view, offset)
        else:
            written = os.write(fd, view)
        view, offset = view[written:], offset + written


def copy_tail(source: Path, start: int, end: int, target: Path, dim: int) -> None:
    """Write a new log at ``target``: a header, then ``source``'s bytes ``start:end``."""
    with open(source, "rb") as f, open(target, "wb") as out:
        out.write(header(dim))
        f.seek(start)
        left = end - start
        while left > 0 and (chunk := f.read(min(left, 1 << 20))):
            out.write(chunk)
            left -= len(chunk)

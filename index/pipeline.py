"""The indexing pipeline: apply a scan diff to the catalog and the vector store.

Decode workers (a small thread pool: read, hash, decode, thumbnail, preprocess) feed
batches to the encoder through a bounded look-ahead; the caller's thread encodes and
writes. Rows become ``indexed`` only after the store holding their vectors is saved
(a checkpoint: every ``checkpoint_every`` photos, every ``checkpoint_s`` seconds, and at
the end). A failed save (disk full) raises ``StoreSaveError``; the rows stay pending.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from index.error_text import INDEX_SUMMARY, N_, VANISHED, reason
from index.hashing import content_hash
from index.library import Library
from index.meta_store import write_meta
from index.photo_meta import FACTS_KEY, PhotoMeta, meta_from_facts
from index.protocols import Encoder
from index.scanner import FileInfo, ScanDiff
from index.thumbnails import THUMB_SIZE, write_thumbnail

if TYPE_CHECKING:  # Pillow is imported where photos are decoded, not by a rescan
    from PIL import Image

log = logging.getLogger("photosearch.index")

Decoder = Callable[[str, int], "Image.Image"]
ProgressCallback = Callable[["Progress"], None]


@dataclass
class Progress:
    done: int
    total: int
    skipped: int
    started: float
    paused_s: float = 0.0  # time spent paused since ``started``: not part of the rate

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started - self.paused_s
        return self.done / elapsed if elapsed > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        return (self.total - self.done) / self.rate if self.rate > 0 else None


@dataclass
class IndexSummary:
    new: int = 0
    updated: int = 0
    moved: int = 0
    removed: int = 0
    skipped: int = 0

    def line(self) -> str:
        return INDEX_SUMMARY.format(
            new=self.new,
            updated=self.updated,
            moved=self.moved,
            removed=self.removed,
            skipped=self.skipped,
        )


@dataclass
class _Decoded:
    info: FileInfo
    photo_id: int
    prepared: Any = None
    hash: str | None = None
    error: str | None = None
    meta: PhotoMeta | None = None


def record_changes(library: Library, diff: ScanDiff) -> IndexSummary:
    """The part of a scan diff that needs no encoder: deletions, moves, new file identities,
    new devices and unreadable files (:meth:`Indexer.apply` starts with it)."""
    catalog = library.catalog
    summary = IndexSummary()
    # Deletions: catalog first, then the store, so a crash leaves only orphan
    # vectors (dropped by the next reconcile), never a row without its vector.
    if diff.deleted:
        ids = [row.id for row in diff.deleted]
        catalog.delete(ids)
        library.store.remove(ids)
        summary.removed = len(ids)
    for row, info in diff.moved:
        catalog.move(row.id, info.path, info.folder_id, info.mtime_ns, info.ctime_ns, info.inode)
        summary.moved += 1
    if diff.relabelled:
        catalog.set_identity((r.id, i.ctime_ns, i.inode) for r, i in diff.relabelled)
    for folder_id, device in diff.devices.items():
        catalog.set_folder_device(folder_id, device)
    for problem in diff.problems:
        catalog.record_skipped(problem.path, problem.folder_id, 0, 0, problem.reason)
        log.warning(N_("skipped %s: %s"), problem.path, problem.reason)
    summary.skipped = len(diff.problems)
    return summary


def apply_without_encoding(library: Library, diff: ScanDiff) -> IndexSummary:
    """:meth:`Indexer.apply` for a diff with nothing to encode (``diff.to_encode()`` empty):
    the same changes and summary, without an encoder, so the model is never loaded."""
    if diff.to_encode():
        raise ValueError("the diff has photos to encode")
    summary = record_changes(library, diff)
    if summary.removed:
        library.store.save()
    return summary


class Indexer:
    def __init__(
        self,
        library: Library,
        encoder: Encoder,
        decode: Decoder,
        *,
        batch_size: int = 32,
        workers: int | None = None,
        checkpoint_every: int = 512,
        checkpoint_s: float | None = 30.0,
        thumbnails: bool = True,
        paused: threading.Event | None = None,
        cancelled: threading.Event | None = None,
    ) -> None:
        self.library = library
        self.encoder = encoder
        self.decode = decode
        self.batch_size = batch_size
        self.workers = workers or min(4, os.cpu_count() or 2)
        self.checkpoint_every = checkpoint_every
        self.checkpoint_s = checkpoint_s
        self.thumbnails = thumbnails
        # set = paused / cancelled; a caller that runs many jobs passes its own events
        self.paused = paused or threading.Event()
        self.cancelled = cancelled or threading.Event()
        self._one_at_a_time = threading.Lock()

    def apply(self, diff: ScanDiff, progress: ProgressCallback | None = None) -> IndexSummary:
        catalog = self.library.catalog
        store = self.library.store
        summary = record_changes(self.library, diff)

        known = {row.path for row, _ in diff.modified} | {row.path for row, _ in diff.retry}
        todo = diff.to_encode()
        jobs = [
            _Decoded(
                info, catalog.upsert_pending(info.path, info.folder_id, info.size, info.mtime_ns)
            )
            for info in todo
        ]
        if jobs:
            self._min_side = max(self.encoder.image_size, THUMB_SIZE if self.thumbnails else 0)
        state = Progress(0, len(jobs), 0, time.monotonic())
        if progress and jobs:
            progress(state)
        pending: list[tuple[int, int, int, str]] = []
        metas: list[tuple[int, PhotoMeta]] = []
        batch: list[_Decoded] = []

        def flush_batch() -> None:
            vectors = self.encoder.encode_prepared([d.prepared for d in batch])
            store.add([d.photo_id for d in batch], vectors)
            pending.extend(
                (d.photo_id, d.info.size, d.info.mtime_ns, d.hash, d.info.ctime_ns, d.info.inode)
                for d in batch
            )
            metas.extend((d.photo_id, d.meta) for d in batch if d.meta is not None)
            for d in batch:
                d.prepared = None  # ``jobs`` lives for the whole run: drop the pixels now
                if d.info.path in known:
                    summary.updated += 1
                else:
                    summary.new += 1
            state.done += len(batch)
            batch.clear()
            if progress:
                progress(state)

        last_checkpoint = time.monotonic()

        def checkpoint() -> None:
            nonlocal last_checkpoint
            last_checkpoint = time.monotonic()
            if store.dirty:
                store.save()
            if pending:
                catalog.mark_indexed(pending, self.encoder.model_id)
                pending.clear()
            if metas:  # after the rows: a kill here leaves them to the metadata backfill
                write_meta(catalog, metas)
                metas.clear()

        def checkpoint_due() -> bool:
            if since_checkpoint >= self.checkpoint_every:
                return True
            return self.checkpoint_s is not None and (
                time.monotonic() - last_checkpoint >= self.checkpoint_s
            )

        since_checkpoint = 0
        save_failed = False
        try:
            for item in self._decoded(jobs):
                if self.paused.is_set():
                    pause_began = time.monotonic()
                    while self.paused.is_set() and not self.cancelled.is_set():
                        time.sleep(0.1)
                    state.paused_s += time.monotonic() - pause_began
                if self.cancelled.is_set():
                    break
                if item.error is not None:
                    catalog.mark_skipped(
                        item.photo_id, item.info.size, item.info.mtime_ns, item.error
                    )
                    store.remove([item.photo_id])  # a changed photo's old vector
                    log.warning(N_("skipped %s: %s"), item.info.path, item.error)
                    summary.skipped += 1
                    state.skipped += 1
                    state.done += 1
                    if progress:
                        progress(state)
                    continue
                batch.append(item)
                if len(batch) >= self.batch_size:
                    since_checkpoint += len(batch)
                    flush_batch()
                    if checkpoint_due():
                        save_failed = True
                        checkpoint()
                        save_failed = False
                        since_checkpoint = 0
            if batch and not self.cancelled.is_set():
                flush_batch()
        finally:
            if not save_failed:  # a failed save is not retried here; the caller hears of it
                checkpoint()
        return summary

    def _decoded(self, jobs: list[_Decoded]) -> Iterator[_Decoded]:
        """Decode in a thread pool with bounded look-ahead, yielding in input order. One batch
        ahead is enough: decoding a batch takes less time than encoding it."""
        lookahead = self.batch_size
        with ThreadPoolExecutor(self.workers, thread_name_prefix="decode") as pool:
            futures: list[Future[_Decoded]] = []
            it = iter(jobs)
            for job in it:
                futures.append(pool.submit(self._decode_one, job))
                if len(futures) >= lookahead:
                    break
            while futures:
                done = futures.pop(0).result()
                job = next(it, None)
                if job is not None and not self.cancelled.is_set():
                    futures.append(pool.submit(self._decode_one, job))
                yield done

    def _decode_one(self, job: _Decoded) -> _Decoded:
        """While a window's user scrolls or types, one photo at a time: two decode threads
        hand Python's GIL to each other at every C call, and a thread that wants it only
        asks for it when nobody else took it meanwhile, so between them they kept the
        window's event loop waiting for tens of ms (docs/BENCHMARKS.md, issue 19)."""
        if self.library.user_busy():
            with self._one_at_a_time:
                return self._decode_photo(job)
        return self._decode_photo(job)

    def _decode_photo(self, job: _Decoded) -> _Decoded:
        try:
            st = os.stat(job.info.path)
            job.info = job.info._replace(
                size=st.st_size, mtime_ns=st.st_mtime_ns, ctime_ns=st.st_ctime_ns, inode=st.st_ino
            )
            job.hash = content_hash(job.info.path)
            image = self.decode(job.info.path, self._min_side)
            facts = image.info.get(FACTS_KEY)  # read by the decoder from the same open file
            job.meta = meta_from_facts(facts, job.info.mtime_ns)
            if self.thumbnails:
                try:
                    write_thumbnail(self.library.thumbs_dir, job.photo_id, image)
                except OSError as exc:  # a cache (disk full?): never a reason to skip a photo
                    log.debug("no thumbnail for %s: %s", job.info.path, exc)
            job.prepared = self.encoder.prepare(image)
        except FileNotFoundError:
            job.error = VANISHED
        except Exception as exc:  # one bad file never stops the batch
            job.error = reason(exc)
        return job

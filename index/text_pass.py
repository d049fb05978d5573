"""The OCR pass: read the text in indexed photos, after (and below) the vector pass.

It works from the catalog, not from a scan: every indexed photo whose content hash has
no text read by this engine yet is read once (one photo per hash; copies share it) and
its lines are committed in one transaction, so a kill at any moment loses nothing that
was committed and repeats no photo that was. A file whose bytes changed since the
vector pass is left for the rescan that will re-index it; the photos of an offline folder
(index.offline: a drive not mounted) wait, unread and not failed, until it is back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from index.error_text import CHANGED_SINCE_INDEXED, N_, TEXT_SUMMARY, VANISHED, reason
from index.hashing import content_hash
from index.library import Library
from index.pipeline import Progress, ProgressCallback
from index.protocols import TextReader
from index.text_index import TextIndex

log = logging.getLogger("photosearch.index")


@dataclass
class TextPassSummary:
    read: int = 0
    with_text: int = 0
    failed: int = 0

    def line(self) -> str:
        return TEXT_SUMMARY.format(read=self.read, with_text=self.with_text, failed=self.failed)


@dataclass
class _Job:
    path: str
    hash: str
    lines: Any = None
    error: str | None = None
    retry: bool = True  # False: the photo itself cannot be read; not tried again


class TextPass:
    def __init__(
        self,
        library: Library,
        reader: TextReader,
        *,
        workers: int = 2,
        should_yield: Callable[[], bool] | None = None,
    ) -> None:
        self.index = TextIndex(library.catalog)
        self.reader = reader
        self.workers = workers
        self.should_yield = should_yield or (lambda: False)  # e.g. new photos to encode
        self.cancelled = threading.Event()

    def pending(self) -> int:
        return len(self.index.pending(self.reader.engine_id))

    def run(self, progress: ProgressCallback | None = None) -> TextPassSummary:
        self.cancelled.clear()
        self.index.prune()
        jobs = [_Job(path, h) for path, h in self.index.pending(self.reader.engine_id)]
        summary = TextPassSummary()
        state = Progress(0, len(jobs), 0, time.monotonic())
        if progress and jobs:
            progress(state)
        for job in self._read(jobs):
            if self.cancelled.is_set() or self.should_yield():
                self.cancelled.set()  # stops the look-ahead; the rest waits for next time
                break
            state.done += 1
            if job.error is not None:
                summary.failed += 1
                state.skipped += 1
                log.warning(N_("text not read from %s: %s"), job.path, job.error)
                if not job.retry:  # stored as "no text" so the pass does not loop on it
                    self.index.save(job.hash, self.reader.engine_id, [])
            else:
                self.index.save(job.hash, self.reader.engine_id, job.lines)
                summary.read += 1
                summary.with_text += bool(job.lines)
            if progress:
                progress(state)
        return summary

    def _read(self, jobs: list[_Job]) -> Iterator[_Job]:
        """Read in a thread pool with a short look-ahead, yielding in input order."""
        with ThreadPoolExecutor(self.workers, thread_name_prefix="ocr") as pool:
            futures: list[Future[_Job]] = []
            it = iter(jobs)
            for job in it:
                futures.append(pool.submit(self._read_one, job))
                if len(futures) >= self.workers * 2:
                    break
            while futures:
                done = futures.pop(0).result()
                job = next(it, None)
                if job is not None and not self.cancelled.is_set():
                    futures.append(pool.submit(self._read_one, job))
                yield done

    def _read_one(self, job: _Job) -> _Job:
        if self.cancelled.is_set():
            job.error = "cancelled"
            return job
        try:
            if content_hash(job.path) != job.hash:
                job.error = CHANGED_SINCE_INDEXED
                return job
            job.lines = list(self.reader.read(job.path))
        except FileNotFoundError:
            job.error = VANISHED
        except OSError as exc:  # unreadable for now (permissions, a drive going away)
            job.error = reason(exc)
        except Exception as exc:  # one bad file never stops the pass
            job.error, job.retry = reason(exc), False
        return job

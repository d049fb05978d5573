"""Subprocess for the crash tests: index a folder with the fake encoder, checkpointing often.

Usage: python crash_worker.py LIBRARY FOLDER [KILL_AT]. Prints "done" when finished.
test_crash.py kills it with SIGKILL at random moments; with KILL_AT it kills itself at one
exact point of the vector store's writes (see ``KILL_POINTS``). Compaction is made due as
soon as the log outgrows the snapshot, so small runs compact often, and each runs to its
end while the indexing goes on.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from index_support import bind_fake, pil_decode  # noqa: E402

from index import compaction, vector_log, vector_store  # noqa: E402
from index.folders import add_folder  # noqa: E402
from index.library import Library  # noqa: E402
from index.pipeline import Indexer  # noqa: E402
from index.scanner import scan  # noqa: E402
from index.snapshot_build import SnapshotBuild  # noqa: E402


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _on_call(owner, name: str, nth: int, before_dying, die: bool = True) -> None:
    """Replace ``owner.name`` so that its ``nth`` call runs ``before_dying`` and is killed
    (or, ``die`` False, goes on to the real call)."""
    real = getattr(owner, name)
    calls = 0

    def wrapper(*args):
        nonlocal calls
        calls += 1
        if calls == nth:
            before_dying(real, *args)
            if die:
                _die()
        return real(*args)

    setattr(owner, name, wrapper)


def _half_a_record(real, fd, data, offset):
    real(fd, bytes(data)[: len(data) // 2], offset)


def _name_the_builder(real, building):
    print(f"builder {building.pid}", flush=True)  # the test checks it dies with this process


def _kill_the_builder(real, building):
    os.kill(building.pid, signal.SIGKILL)


KILL_POINTS = {
    # the 4th write to the log (its header is the 1st): half a record is on disk
    "log-append": (vector_log, "_pwrite_all", 4, _half_a_record),
    # while compaction's own process builds the new snapshot
    "compaction-building": (SnapshotBuild, "wait", 1, _name_the_builder),
    # the new snapshot is built (a complete temp file), not yet renamed into place
    "compaction-built": (SnapshotBuild, "wait", 1, lambda real, building: real(building)),
    # compaction renamed its snapshot into place, not yet its log (the 1st: first save)
    "compaction-swap": (vector_store.VectorStore, "replace_log", 2, lambda *a: None),
    # not this process: compaction's own process is killed, and this one goes on
    "builder-killed": (SnapshotBuild, "wait", 1, _kill_the_builder, False),
}


def main(library_dir: str, folder: str, kill_at: str | None = None) -> None:
    compaction.MIN_LOG_BYTES = 0
    if kill_at:
        _on_call(*KILL_POINTS[kill_at])
    with Library(library_dir) as library:
        encoder = bind_fake(library)
        add_folder(library, folder)
        diff = scan(library.catalog, library.catalog.folders())
        indexer = Indexer(
            library, encoder, pil_decode, batch_size=8, checkpoint_every=16, workers=2
        )

        def progress(state) -> None:
            print(f"progress {state.done}", flush=True)  # the test picks its kill moment
            # The fake encoder is far faster than a real one: wait for a compaction to end,
            # as it would while a real run encodes the next batches.
            library.store.compactor.join()

        indexer.apply(diff, progress=progress)
    print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])

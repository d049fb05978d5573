"""Compaction's own process: a new snapshot built from the store's files, not its memory.

Writing the index from the writer's process stops that whole process (a window's event
loop included): hnswlib's ``save_index`` and its in-memory copy hold Python's GIL
throughout, and ``fork()`` holds it while the kernel copies the page tables
(docs/BENCHMARKS.md, "Whole-index writes"). So compaction starts a fresh interpreter
(``subprocess``: vfork / posix_spawn, which copy no page tables and release the GIL) at
a lowered priority. It loads the last snapshot file, replays the change log up to the
offset the writer recorded, writes the new snapshot to a temp file, fsyncs it, checks
it is complete and exits. The writer's process only waits for it; the renames stay with
the writer (``index/compaction.py``). The child dies with its parent (Linux), and it
never renames anything, so a killed writer leaves at most a temp file.
"""

from __future__ import annotations

import ctypes
import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

# Background work: the window's threads (and the indexing) get the cores first.
WRITER_NICENESS = 10
_DISK_FULL_EXIT = 3
_PR_SET_PDEATHSIG = 1
_ROOT = str(Path(__file__).resolve().parents[1])
# Imports this package from where this process found it, whatever the working folder.
_CHILD = f"import sys; sys.path.insert(0, {_ROOT!r}); from index.snapshot_build import main; main()"


class SnapshotBuild:
    """The child process building ``out`` from ``snapshot`` plus ``log`` up to ``upto``."""

    def __init__(self, snapshot: Path, log: Path, upto: int, out: Path, dim: int) -> None:
        self.path = out
        args = [snapshot, log, upto, out, dim, os.getpid()]
        self._process = subprocess.Popen(
            [sys.executable, "-c", _CHILD, *map(str, args)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            creationflags=getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0),
        )
        if hasattr(os, "setpriority"):  # (set here, not by the child: no window without it)
            try:
                niceness = min(19, os.getpriority(os.PRIO_PROCESS, 0) + WRITER_NICENESS)
                os.setpriority(os.PRIO_PROCESS, self._process.pid, niceness)
            except OSError:
                pass  # it has already finished

    @property
    def pid(self) -> int:
        return self._process.pid

    def wait(self) -> None:
        """Return once the file is written, fsynced and checked; ``OSError`` if not."""
        _, err = self._process.communicate()
        code = self._process.returncode
        if code == 0:
            return
        if code == _DISK_FULL_EXIT:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))
        reason = (err.decode(errors="replace").strip().splitlines() or [""])[-1]
        raise OSError(errno.EIO, f"the snapshot builder failed (exit {code}) {reason}".strip())

    def kill(self) -> None:
        if self._process.poll() is None:
            self._process.kill()

    def pause(self) -> None:
        """Stop the process where it is (it holds no lock; the window gets both cores);
        where the system cannot (Windows), it goes on at its lowered priority."""
        self._signal("SIGSTOP")

    def resume(self) -> None:
        self._signal("SIGCONT")

    def _signal(self, name: str) -> None:
        number = getattr(signal, name, None)
        if number is not None and self._process.poll() is None:
            try:
                os.kill(self._process.pid, number)
            except ProcessLookupError:
                pass  # it has just finished


def build(snapshot: Path, log: Path, upto: int, out: Path, dim: int) -> None:
    """``snapshot`` with ``log``'s records before offset ``upto`` applied, saved to ``out``."""
    from index import vector_log
    from index.atomic import fsync_file
    from index.hnsw_index import REPLAY_CHUNK, HnswIndex
    from index.vector_snapshot import check_index_file

    index = HnswIndex.load(snapshot, dim)
    threads = max(1, (os.cpu_count() or 1) - 1)  # a core left to the writer's process
    with open(log, "rb") as f:
        if not vector_log.has_header(f.read(vector_log.HEADER_SIZE), dim):
            raise ValueError(f"{log} is not this store's change log")
        position = vector_log.HEADER_SIZE
        for change, end in vector_log.read_changes(f, dim, position, upto):
            index.apply(change, REPLAY_CHUNK, threads)
            position = end
    if position != upto:
        raise ValueError(f"the change log ends at byte {position}, before {upto}")
    index.save_file(out)
    fsync_file(out)
    check_index_file(out)


def _die_with(parent: int) -> None:
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, 9)  # SIGKILL
    if os.getppid() != parent:  # the parent died before that
        os._exit(1)


def main() -> None:
    snapshot, log, upto, out, dim, parent = sys.argv[1:]
    _die_with(int(parent))
    try:
        build(Path(snapshot), Path(log), int(upto), Path(out), int(dim))
    except OSError as exc:
        from index.disk_space import DISK_FULL_ERRNOS

        print(exc, file=sys.stderr)
        sys.exit(_DISK_FULL_EXIT if exc.errno in DISK_FULL_ERRNOS else 1)

"""Large tensors go back to the system when freed (glibc only; elsewhere a no-op).

glibc raises its mmap threshold each time a large block is freed, so later batches of the
same size come from the heap and stay resident after they are freed; over an indexing run
the heap keeps the high-water mark of every batch, preprocessed image and activation. A
fixed threshold (glibc's own default, 128 KiB) keeps each such block mapped only while it
lives. The figures are in docs/BENCHMARKS.md (bench.indexing_memory).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number
MMAP_THRESHOLD = 128 * 1024
_done = False


def return_large_blocks() -> None:
    """Fix glibc's mmap threshold for this process (once; harmless to call again)."""
    global _done
    if _done or not sys.platform.startswith("linux"):
        return
    _done = True
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and other libcs: nothing to tune
        return
    mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)

"""Subprocess for test_crash.py: index a folder with the fake encoder, checkpointing often.

Usage: python crash_worker.py LIBRARY FOLDER. Prints "done" when finished; the test kills
it with SIGKILL at random moments before that.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from index_support import bind_fake, pil_decode  # noqa: E402

from index.folders import add_folder  # noqa: E402
from index.library import Library  # noqa: E402
from index.pipeline import Indexer  # noqa: E402
from index.scanner import scan  # noqa: E402


def main(library_dir: str, folder: str) -> None:
    with Library(library_dir) as library:
        encoder = bind_fake(library)
        add_folder(library, folder)
        diff = scan(library.catalog, library.catalog.folders())
        indexer = Indexer(
            library, encoder, pil_decode, batch_size=8, checkpoint_every=16, workers=2
        )
        # One line per batch: the test picks its kill moment from these.
        indexer.apply(diff, progress=lambda state: print(f"progress {state.done}", flush=True))
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

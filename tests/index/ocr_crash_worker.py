"""Subprocess for test_text_crash.py: index a folder (fake encoder), then run the OCR pass.

Usage: python ocr_crash_worker.py LIBRARY FOLDER. Prints "reading HASH" before each photo
is read, "saved N" after each is committed and "done" at the end; the test kills it with
SIGKILL during the OCR pass.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from index_support import bind_fake, pil_decode  # noqa: E402

from engine.ocr import TextReader  # noqa: E402
from index.folders import add_folder  # noqa: E402
from index.library import Library  # noqa: E402
from index.pipeline import Indexer  # noqa: E402
from index.scanner import scan  # noqa: E402
from index.text_pass import TextPass  # noqa: E402


class LoggingReader(TextReader):
    def read(self, path):
        print(f"reading {Path(path).name}", flush=True)
        return super().read(path)


def main(library_dir: str, folder: str) -> None:
    with Library(library_dir) as library:
        encoder = bind_fake(library)
        add_folder(library, folder)
        diff = scan(library.catalog, library.catalog.folders())
        Indexer(library, encoder, pil_decode, batch_size=8, workers=2).apply(diff)
        text_pass = TextPass(library, LoggingReader())
        text_pass.run(progress=lambda state: print(f"saved {state.done}", flush=True))
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

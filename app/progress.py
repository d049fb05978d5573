"""Terminal progress for long jobs: a tqdm bar on stderr with rate and ETA."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from app.messages import localized_record
from app.translation import _

if TYPE_CHECKING:  # tqdm is imported when a bar is first shown
    from tqdm import tqdm

    from index.pipeline import Progress


class ProgressBar:
    def __init__(self, description: str) -> None:
        self.description = description
        self._bar: tqdm | None = None

    def __call__(self, state: Progress) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(
                total=state.total,
                desc=self.description,
                unit=_("photo"),
                file=sys.stderr,
                mininterval=0.5,
                dynamic_ncols=True,
            )
        self._bar.update(state.done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


class TqdmLogHandler(logging.Handler):
    """Log lines that do not break the progress bar."""

    def emit(self, record: logging.LogRecord) -> None:
        from tqdm import tqdm

        tqdm.write(self.format(localized_record(record)), file=sys.stderr)

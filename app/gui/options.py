"""What the window was started with (the command line, or a test or benchmark)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GuiOptions:
    library: str | None = None
    model: str | None = None  # from the command line: wins over the saved setting
    weights: str | None = None
    watch: bool = True  # follow folder changes (watchdog)
    rescan_s: float | None = None  # periodic full rescans on top of watching
    indexer_options: dict | None = None

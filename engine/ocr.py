"""On-device OCR: the text in a photo, as lines with boxes and confidences.

The engine is RapidOCR (PP-OCRv6 small detection and recognition, Chinese and English,
ONNX weights shipped inside its wheel, onnxruntime on the CPU). It is optional: where
it cannot be installed, :func:`unavailable_reason` says why in one line and the rest
of photosearch works without text search.

Most photos hold no text, so reading starts with a gate: the detector alone on a small
downscale (``GATE_SIDE``). Only photos where it finds a line-shaped box are decoded again
for detection and recognition, at a size picked from the smallest line the gate saw
(``READ_MIN_SIDE`` to ``READ_SIDE``): large print is read small, which is about half the
work. ``bench.ocr`` measures what the gate misses.
"""

from __future__ import annotations

import functools
import gc
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from engine.images import load_image
from engine.ocr_engine import (  # noqa: F401  (what engine.ocr's users import from it)
    GATE_SIDE,
    PACKAGES,
    READ_MIN_SIDE,
    READ_SIDE,
    engine_id,
    unavailable_reason,
)

READ_LINE_HEIGHT = 32  # pixels the smallest line the gate found gets at the read size
GATE_BOX_THRESH = 0.45  # below the reader's own 0.5: the gate errs towards reading
GATE_MAX_LINE_HEIGHT = 0.25  # of GATE_SIDE: taller "lines" are texture, not text
GATE_MIN_WIDTH = 0.8  # of the line's height: even one CJK character is about square
MIN_SCORE = 0.5  # recognised lines below this confidence are dropped
MAX_BOX_AREA = 0.5  # share of the photo


@dataclass(frozen=True)
class TextLine:
    text: str
    score: float
    box: tuple[float, ...]  # x1, y1, ... x4, y4 as fractions of the upright photo's size


class TextReader:
    """Thread-safe: each thread uses an engine of its own (onnxruntime sessions, one thread
    each). Engines outlive their threads: a new thread adopts one whose thread has ended,
    because building one holds the GIL for up to a few hundred ms (every Python thread,
    the window's included, stops meanwhile), so each pass of new threads must not rebuild."""

    def __init__(self, threads_per_engine: int = 1, *, for_the_process: bool = False) -> None:
        reason = unavailable_reason()
        if reason is not None:
            raise RuntimeError(reason)
        self.threads_per_engine = threads_per_engine
        self.engine_id = engine_id()
        self._local = threading.local()
        self._engines: list[list] = []  # [owner thread, engine]
        self._lock = threading.Lock()
        self.built = 0  # engines built so far
        self._for_the_process = for_the_process

    def _engine(self):
        engine = getattr(self._local, "engine", None)
        if engine is None:
            me = threading.current_thread()
            with self._lock:
                for slot in self._engines:
                    if not slot[0].is_alive():
                        slot[0], engine = me, slot[1]
                        break
            if engine is None:
                engine = self._build()
                if self._for_the_process:
                    # It lives as long as the process: keep its objects (tens of thousands:
                    # the engine's configuration trees) out of the GC's full collections,
                    # which hold the GIL while they traverse them (docs/BENCHMARKS.md).
                    gc.freeze()
                with self._lock:
                    self._engines.append([me, engine])
                    self.built += 1
            self._local.engine = engine
        return engine

    def _build(self):
        from rapidocr import RapidOCR

        threads = self.threads_per_engine
        return RapidOCR(
            params={
                "Global.log_level": "critical",
                "Global.use_cls": False,  # photos' text is upright often enough
                "Global.text_score": MIN_SCORE,
                "Global.max_side_len": READ_SIDE,
                "Det.limit_type": "max",
                "Det.limit_side_len": READ_SIDE,
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )

    def has_text(self, image: Image.Image) -> bool:
        """The gate: does the detector see any line of text on a small downscale?"""
        return bool(self._line_heights(image))

    def _line_heights(self, image: Image.Image) -> list[float]:
        """Heights (at GATE_SIDE) of the line-shaped boxes the detector finds."""
        small = image.copy()
        small.thumbnail((GATE_SIDE, GATE_SIDE), Image.Resampling.BILINEAR)
        post = self._engine()._load_det_model().postprocess_op  # this thread's own
        post.box_thresh, usual = GATE_BOX_THRESH, post.box_thresh
        try:
            found = self._engine().text_det(_bgr(small))
        finally:
            post.box_thresh = usual
        if found.boxes is None:
            return []
        return [_height(box) for box in found.boxes if _line_like(box)]

    def read_image(self, image: Image.Image, side: int = READ_SIDE) -> list[TextLine]:
        """Detect and recognise every line (no gate) with the longest side at ``side``."""
        image = image.copy()
        image.thumbnail((side, side), Image.Resampling.BILINEAR)
        result = self._engine()(_bgr(image))
        if result.boxes is None or result.txts is None:
            return []
        w, h = image.size
        lines = []
        for box, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
            if not text.strip() or score < MIN_SCORE:
                continue
            flat = tuple(round(float(v), 4) for x, y in box for v in (x / w, y / h))
            if _area(flat) > MAX_BOX_AREA:
                continue  # a "line" as large as the photo is texture, not text
            lines.append(TextLine(text.strip(), round(float(score), 4), flat))
        return lines

    def read(self, path: str | Path) -> list[TextLine]:
        """The text in the photo at ``path`` ([] when the gate sees none)."""
        heights = self._line_heights(load_image(path, GATE_SIDE * 3 // 4))
        if not heights:
            return []
        side = GATE_SIDE * READ_LINE_HEIGHT / max(min(heights), 1.0)
        side = int(min(READ_SIDE, max(READ_MIN_SIDE, side)))
        return self.read_image(load_image(path, side * 3 // 4), side)


def _height(box: np.ndarray) -> float:
    return float(np.linalg.norm(box[3] - box[0]))


def _line_like(box: np.ndarray) -> bool:
    width, height = float(np.linalg.norm(box[1] - box[0])), _height(box)
    return height <= GATE_MAX_LINE_HEIGHT * GATE_SIDE and width >= GATE_MIN_WIDTH * height


def _area(box: tuple[float, ...]) -> float:
    xs, ys = box[0::2], box[1::2]  # shoelace formula over the four corners
    return abs(sum(xs[i] * ys[i - 1] - xs[i - 1] * ys[i] for i in range(4))) / 2


def _bgr(image: Image.Image) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])


@functools.cache
def shared_reader() -> TextReader:
    """The process's one reader: its engines, once built, serve every later text pass
    (a window's indexing restarts with each model change)."""
    return TextReader(for_the_process=True)

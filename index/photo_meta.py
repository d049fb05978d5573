"""A photo's metadata: when, where, which camera, what size and type.

Built from the facts the decoder read from the file (a plain dict: see the decoder's
``photo_facts``), so indexing reads each file once. ``taken`` is the local wall-clock time
the photo was taken, as the integer YYYYMMDDHHMMSS (sortable, and a date bound compares
with it directly); ``date_source`` says whether it came from the camera ("exif") or, when
the file states no date, from the file's modification time ("file").
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

EXIF, FILE_TIME = "exif", "file"
# Where the decoder leaves the facts on the decoded image (engine.images says the same:
# the layers share no module, so the key is their contract).
FACTS_KEY = "photosearch.facts"


@dataclass(frozen=True)
class PhotoMeta:
    taken: int | None = None
    date_source: str = FILE_TIME
    offset: str | None = None  # "+02:00": the camera's UTC offset, when it wrote one
    make: str | None = None
    model: str | None = None
    lens: str | None = None
    lat: float | None = None
    lon: float | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    width: int | None = None  # upright (EXIF orientation applied)
    height: int | None = None
    file_type: str | None = None

    @property
    def camera(self) -> str | None:
        return camera_name(self.make, self.model)

    @property
    def place(self) -> str | None:
        parts = [p for p in (self.city, self.region, self.country) if p]
        return ", ".join(dict.fromkeys(parts)) or None

    @property
    def orientation(self) -> str | None:
        if not self.width or not self.height:
            return None
        if self.width == self.height:
            return "square"
        return "landscape" if self.width > self.height else "portrait"

    def taken_iso(self) -> str | None:
        if self.taken is None:
            return None
        s = f"{self.taken:014d}"
        iso = f"{s[:4]}-{s[4:6]}-{s[6:8]}T{s[8:10]}:{s[10:12]}:{s[12:]}"
        return iso + (self.offset or "")

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe, for `--json` output and the window."""
        out = {
            "taken": self.taken_iso(),
            "date_source": self.date_source,
            "camera": self.camera,
            "lens": self.lens,
            "place": self.place,
            "gps": [self.lat, self.lon] if self.lat is not None else None,
            "width": self.width,
            "height": self.height,
            "orientation": self.orientation,
            "type": self.file_type,
        }
        return out

    def row(self, photo_id: int) -> tuple:
        return (photo_id, *asdict(self).values())


COLUMNS = tuple(PhotoMeta.__dataclass_fields__)


def camera_name(make: str | None, model: str | None) -> str | None:
    """ "Google Pixel 8", not "Google Google Pixel 8" (many models repeat the make)."""
    if not model:
        return make
    if not make or model.lower().startswith(make.split()[0].lower()):
        return model
    return f"{make} {model}"


def meta_from_facts(facts: dict[str, Any] | None, mtime_ns: int) -> PhotoMeta:
    """The metadata for a photo whose decoder read ``facts``; the file time stands in for
    a date the file does not state."""
    facts = facts or {}
    taken, source = _taken_number(facts.get("taken")), EXIF
    if taken is None:
        local = time.localtime(mtime_ns / 1e9)
        taken, source = int(time.strftime("%Y%m%d%H%M%S", local)), FILE_TIME
    width, height = facts.get("width"), facts.get("height")
    if facts.get("rotated"):
        width, height = height, width
    return PhotoMeta(
        taken=taken,
        date_source=source,
        offset=facts.get("offset") if source == EXIF else None,
        make=facts.get("make"),
        model=facts.get("model"),
        lens=facts.get("lens"),
        lat=facts.get("lat"),
        lon=facts.get("lon"),
        width=width,
        height=height,
        file_type=facts.get("format") or None,
    )


def _taken_number(text: str | None) -> int | None:
    """ "2024-07-14 10:00:00" -> 20240714100000."""
    if not text:
        return None
    digits = "".join(c for c in text if c.isdigit())
    return int(digits) if len(digits) == 14 else None

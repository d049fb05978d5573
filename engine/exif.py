"""The facts a photo file states about itself, read from an open Pillow image.

``photo_facts(img)`` is called while the file is open (EXIF sub-IFDs of a TIFF are read
from the file), before any draft or transpose, so the pixel size is the file's own. The
result is a plain dict (index/ interprets it; the two layers share no types):

    format   "jpeg", "png", "heic", ... (lower case)
    width, height    pixels as stored (before EXIF orientation)
    rotated  True when EXIF orientation turns the picture a quarter (5-8)
    taken    "YYYY-MM-DD HH:MM:SS" from DateTimeOriginal (else DateTimeDigitized, DateTime)
    offset   "+HH:MM" from OffsetTimeOriginal (else OffsetTime), when present
    make, model, lens     strings, stripped
    lat, lon  decimal degrees (south and west negative)

Keys whose value the file does not state are absent. ``read_facts(path)`` opens a file
for its header only (no pixel decode): the metadata backfill of existing libraries.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PIL import Image

EXIF_IFD = 0x8769
GPS_IFD = 0x8825
_MAKE, _MODEL, _DATETIME, _ORIENTATION = 0x010F, 0x0110, 0x0132, 0x0112
_DATETIME_ORIGINAL, _DATETIME_DIGITIZED = 0x9003, 0x9004
_OFFSET_TIME, _OFFSET_TIME_ORIGINAL = 0x9010, 0x9011
_LENS_MAKE, _LENS_MODEL = 0xA433, 0xA434
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON = 1, 2, 3, 4

_DATE = re.compile(r"^(\d{4})[:\-](\d{2})[:\-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")
_FORMATS = {"MPO": "jpeg", "HEIF": "heic"}  # a phone's multi-picture JPEG is a JPEG


def photo_facts(img: Image.Image) -> dict[str, Any]:
    """What ``img`` (open, not yet drafted) says about the photo; never raises."""
    fmt = img.format or ""
    facts: dict[str, Any] = {"format": _FORMATS.get(fmt, fmt.lower()), "width": img.width}
    facts["height"] = img.height
    try:
        exif = img.getexif()
        base = dict(exif)
        sub = _ifd(exif, EXIF_IFD)
        gps = _ifd(exif, GPS_IFD)
    except Exception:  # a damaged EXIF block costs the metadata, never the photo
        return facts
    if base.get(_ORIENTATION) in (5, 6, 7, 8):
        facts["rotated"] = True
    for key, value in (
        ("taken", _date(_first(_DATETIME_ORIGINAL, sub, base) or sub.get(_DATETIME_DIGITIZED))),
        ("offset", _offset(_first(_OFFSET_TIME_ORIGINAL, sub, base) or sub.get(_OFFSET_TIME))),
        ("make", _text(base.get(_MAKE))),
        ("model", _text(base.get(_MODEL))),
        ("lens", _text(sub.get(_LENS_MODEL)) or _text(sub.get(_LENS_MAKE))),
    ):
        if value:
            facts[key] = value
    if "taken" not in facts and _date(base.get(_DATETIME)):
        facts["taken"] = _date(base.get(_DATETIME))
    position = _position(gps)
    if position is not None:
        facts["lat"], facts["lon"] = position
    return facts


def read_facts(path: str | Path) -> dict[str, Any]:
    """The facts in a file's header, without decoding its pixels."""
    with Image.open(path) as img:
        return photo_facts(img)


def _first(tag: int, *ifds: dict) -> Any:
    """A tag from the first IFD that has it (TIFF/EP and DNG may keep EXIF tags in IFD0)."""
    return next((ifd[tag] for ifd in ifds if ifd.get(tag)), None)


def _ifd(exif: Image.Exif, tag: int) -> dict:
    try:
        return dict(exif.get_ifd(tag))
    except Exception:
        return {}


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    value = value.replace("\x00", "").strip()
    return value or None


def _date(value: Any) -> str | None:
    match = _DATE.match(_text(value) or "")
    if not match:
        return None
    y, mo, d, h, mi, s = (int(g) for g in match.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31 and h < 24 and mi < 60 and s < 61 and y > 1800):
        return None  # "0000:00:00 00:00:00" and other placeholders cameras write
    return f"{y:04d}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}:{min(s, 59):02d}"


def _offset(value: Any) -> str | None:
    text = _text(value) or ""
    match = _OFFSET.match(text)
    if not match or int(match.group(2)) > 14 or int(match.group(3)) >= 60:
        return None
    return text


def _position(gps: dict) -> tuple[float, float] | None:
    try:
        lat = _degrees(gps[_GPS_LAT], gps.get(_GPS_LAT_REF), "S")
        lon = _degrees(gps[_GPS_LON], gps.get(_GPS_LON_REF), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None  # (0, 0) is what a receiver without a fix writes
    return round(lat, 6), round(lon, 6)


def _degrees(dms: Any, ref: Any, negative: str) -> float:
    d, m, s = (float(x) for x in dms)
    value = d + m / 60 + s / 3600
    return -value if (_text(ref) or "").upper() == negative else value

"""A photo's details in one line for the viewer and the preview: when, where, which
camera and lens (the library's stored metadata, index.photo_meta) and the exposure (read
from the file's EXIF with Pillow, on the worker that decodes the photo; the library does
not keep it). A photo without EXIF simply shows less.
"""

from __future__ import annotations

from PIL import ExifTags, Image

from app.translation import _
from index.photo_meta import EXIF, PhotoMeta

_T = ExifTags.Base


def details_line(meta: PhotoMeta | None, exposure: str = "") -> str:
    """ "2024-07-14 10:30 · Paris, France · Canon EOS R5 · RF 24-70mm · 1/250 s f/2.8"."""
    if meta is None:
        return exposure
    taken = meta.taken_iso()
    when = taken[:16].replace("T", " ") if taken else ""
    if when and meta.date_source != EXIF:
        when = _("{date} (file time)").format(date=when)
    return " · ".join(p for p in (when, meta.place, meta.camera, meta.lens, exposure) if p)


def exposure_summary(path: str) -> str:
    """ "1/250 s f/2.8 ISO 400 50 mm" from the file's EXIF ("" without)."""
    try:
        with Image.open(path) as image:
            tags = dict(image.getexif().get_ifd(ExifTags.IFD.Exif))
    except Exception:  # unreadable EXIF is no summary, never an error
        return ""
    parts = []
    seconds = _number(tags.get(_T.ExposureTime))
    if seconds:
        parts.append(f"1/{round(1 / seconds)} s" if seconds < 1 else f"{seconds:g} s")
    aperture = _number(tags.get(_T.FNumber))
    if aperture:
        parts.append(f"f/{aperture:g}")
    iso = tags.get(_T.ISOSpeedRatings)
    if isinstance(iso, tuple):
        iso = iso[0] if iso else None
    if iso:
        parts.append(f"ISO {iso}")
    focal = _number(tags.get(_T.FocalLength))
    if focal:
        parts.append(f"{focal:g} mm")
    return " ".join(parts)


def _number(value) -> float | None:
    try:
        number = float(value) if value is not None else None
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return round(number, 4) if number else None

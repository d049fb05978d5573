"""A photo's EXIF in one line for the viewer: when, which camera and lens, exposure.

Read with Pillow on the worker that decodes the photo; a photo without EXIF (a PNG, a
screenshot) simply has no summary.
"""

from __future__ import annotations

from PIL import ExifTags, Image

_EXIF_IFD = ExifTags.IFD.Exif
_T = ExifTags.Base


def exif_summary(path: str) -> str:
    """ "2024-07-14 10:30 · Canon EOS R5 · RF 24-70mm F2.8 · 1/250 s f/2.8 ISO 400 50 mm"."""
    try:
        with Image.open(path) as image:
            exif = image.getexif()
            sub = exif.get_ifd(_EXIF_IFD)
    except Exception:  # unreadable EXIF is no summary, never an error
        return ""
    tags = {**exif, **sub}
    parts = [_taken(tags), _camera(tags), _text(tags.get(_T.LensModel)), _exposure(tags)]
    return " · ".join(p for p in parts if p)


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return " ".join(str(value).replace("\x00", " ").split()) if value is not None else ""


def _taken(tags: dict) -> str:
    raw = _text(tags.get(_T.DateTimeOriginal) or tags.get(_T.DateTime))
    if len(raw) < 16 or raw[4] != ":":
        return ""
    return f"{raw[:4]}-{raw[5:7]}-{raw[8:10]} {raw[11:16]}"


def _camera(tags: dict) -> str:
    make, model = _text(tags.get(_T.Make)), _text(tags.get(_T.Model))
    if make and model.lower().startswith(make.split()[0].lower()):
        return model  # "Canon" + "Canon EOS R5"
    return " ".join(p for p in (make, model) if p)


def _exposure(tags: dict) -> str:
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

"""Photos with real EXIF (Pillow writes it, GPS IFD included) and a DNG, written by tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

MAKE, MODEL, ORIENTATION, DATETIME = 0x010F, 0x0110, 0x0112, 0x0132
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 0x9003, 0x9011


def _dms(value: float) -> tuple[IFDRational, ...]:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = round((value - d - m / 60) * 3600 * 100)
    return IFDRational(d, 1), IFDRational(m, 1), IFDRational(s, 100)


def write_photo(
    path: Path,
    *,
    taken: str | None = None,
    offset: str | None = None,
    camera: tuple[str, str] | None = None,
    gps: tuple[float, float] | None = None,
    orientation: int | None = None,
    size: tuple[int, int] = (96, 64),
    color: tuple[int, int, int] = (200, 40, 40),
) -> Path:
    """A photo whose EXIF states what is given (JPEG, PNG, WebP, HEIC, TIFF: by the suffix).

    Pillow cannot write a TIFF's EXIF sub-IFDs, so a TIFF gets its date and offset in IFD0
    (where TIFF/EP puts them) and no position."""
    exif = Image.Exif()
    if camera:
        exif[MAKE], exif[MODEL] = camera
    if orientation:
        exif[ORIENTATION] = orientation
    sub = {}
    if taken:
        sub[DATETIME_ORIGINAL] = taken
    if offset:
        sub[OFFSET_TIME_ORIGINAL] = offset
    tiff = path.suffix.lower() in (".tif", ".tiff")
    if sub and tiff:
        exif.update(sub)
    elif sub:
        exif[EXIF_IFD] = sub
    if gps and not tiff:
        lat, lon = gps
        exif[GPS_IFD] = {
            1: "N" if lat >= 0 else "S",
            2: _dms(lat),
            3: "E" if lon >= 0 else "W",
            4: _dms(lon),
        }
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, exif=exif)
    return path


def write_dng(path: Path, *, taken: str, camera: tuple[str, str]) -> Path:
    """A minimal DNG as cameras write them: IFD0 an RGB preview, a SubIFD the CFA sensor data
    (what LibRaw reads), DNGVersion, make, model and the capture time."""
    import tifffile

    preview = np.zeros((120, 160, 3), np.uint8)
    preview[:, :80], preview[:, 80:] = (220, 30, 30), (30, 30, 220)
    sensor = np.random.default_rng(0).integers(0, 4095, (240, 320)).astype(np.uint16)
    tags = [
        (50706, "B", 4, (1, 4, 0, 0), True),  # DNGVersion
        (50708, "s", 0, f"{camera[0]} {camera[1]}", True),  # UniqueCameraModel
        (MAKE, "s", 0, camera[0], True),
        (MODEL, "s", 0, camera[1], True),
        (DATETIME_ORIGINAL, "s", 0, taken, True),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    with tifffile.TiffWriter(path) as dng:
        dng.write(preview, photometric="rgb", subfiletype=1, subifds=1, extratags=tags)
        cfa = [(33421, "H", 2, (2, 2), True), (33422, "B", 4, (0, 1, 1, 2), True)]
        cfa.append((50717, "H", 1, 4095, True))  # WhiteLevel
        dng.write(sensor, photometric="cfa", subfiletype=0, extratags=cfa)
    return path

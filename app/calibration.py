"""What a model is calibrated on when it is converted to a ``.sparse`` file: the photos of a
folder the user names (with its ``captions.csv`` as text queries), else for a demo model its
rendered training scenes, else nothing (the converter's conservative default)."""

from __future__ import annotations

import csv
from pathlib import Path

from app.translation import _
from engine.errors import ModelError
from engine.registry import is_demo
from engine.sparse.convert import CALIBRATION_PHOTOS, CalibrationSet, folder_calibration
from engine.spec import ModelSpec

CAPTIONS_FILE = "captions.csv"


def calibration_for(
    spec: ModelSpec, folder: Path | None, photos: int = CALIBRATION_PHOTOS
) -> CalibrationSet | None:
    if folder is not None:
        folder = Path(folder)
        return folder_calibration(folder, folder_captions(folder), photos, spec.image_size)
    if is_demo(spec):
        from engine.demo.calibration import training_scenes

        return training_scenes(photos)
    return None


def folder_captions(folder: Path) -> dict[str, str]:
    """The folder's ``captions.csv`` (``file,caption``, as ``photosearch demo`` writes it)."""
    from engine.demo.scenes.captions_csv import read_captions

    path = folder / CAPTIONS_FILE
    if not path.is_file():
        return {}
    try:
        return {file: caption for file, caption in read_captions(path) if caption.strip()}
    except KeyError:
        raise ModelError(
            _("{path} needs the columns file,caption (as photosearch demo writes it)").format(
                path=path
            )
        ) from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ModelError(_("unreadable {path}: {error}").format(path=path, error=exc)) from None

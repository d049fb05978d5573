"""Name the disk that ran out of space, for the one-line "the disk is full" message."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from index.error_text import N_, Phrase

DISK_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
DISK_FULL = N_("the disk is full ({place}); free some space and run it again")
# the place, by (another folder holds the library, the free space is known)
_PLACES = {
    (False, False): N_("{disk}"),
    (False, True): N_("{disk}: {free} free"),
    (True, False): N_("{disk} holds {path}"),
    (True, True): N_("{disk} holds {path}: {free} free"),
}


def mount_point(path: str | Path) -> Path:
    """The mount point of the file system holding ``path`` (or its nearest existing parent)."""
    current = Path(path).absolute()
    while not current.exists():
        current = current.parent
    while not os.path.ismount(current):
        current = current.parent
    return current


def is_full(path: str | Path, margin: int = 1 << 20) -> bool:
    """Less than ``margin`` bytes left for this process on the disk holding ``path``."""
    try:
        return shutil.disk_usage(path).free < margin
    except OSError:
        return False


def disk_full(path: str | Path) -> Phrase:
    """E.g. "the disk is full (/mnt/photos holds the library: 12 KB free); ..."."""
    disk = mount_point(path)
    try:
        free = _size(shutil.disk_usage(disk).free)
    except OSError:
        free = None
    place = _PLACES[disk != Path(path), free is not None]
    return Phrase(DISK_FULL, {"place": Phrase(place, {"disk": disk, "path": path, "free": free})})


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.0f} {unit}"
        n /= 1024
    return f"{n} bytes"

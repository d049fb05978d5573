"""Walk library folders and diff what is on disk against the catalog.

The diff says what to encode (new, changed, unfinished), what moved (same bytes at a
new path: the vector is kept), and what is gone. Moves are found by content hash, and
only files whose size equals a vanished photo's size are hashed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field

from index.catalog import INDEXED, PENDING, Catalog, FolderRow, PhotoRow
from index.hashing import content_hash

IMAGE_SUFFIXES = (
    ".jpg", ".jpeg", ".jpe", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".heic", ".heif",
)  # fmt: skip


@dataclass(frozen=True)
class FileInfo:
    path: str
    folder_id: int
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Problem:
    path: str
    folder_id: int
    reason: str


@dataclass
class ScanDiff:
    added: list[FileInfo] = field(default_factory=list)
    modified: list[tuple[PhotoRow, FileInfo]] = field(default_factory=list)
    retry: list[tuple[PhotoRow, FileInfo]] = field(default_factory=list)  # pending rows
    moved: list[tuple[PhotoRow, FileInfo]] = field(default_factory=list)
    deleted: list[PhotoRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unchanged: int = 0

    def to_encode(self) -> list[FileInfo]:
        return self.added + [f for _, f in self.modified] + [f for _, f in self.retry]


def has_image_suffix(name: str) -> bool:
    return name.lower().endswith(IMAGE_SUFFIXES)


def walk_images(root: str, folder_id: int) -> Iterator[FileInfo | Problem]:
    """Yield every image-named file below ``root`` (symlinks followed, loops cut)."""
    seen_dirs: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            st = os.stat(directory)
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                continue
            seen_dirs.add(key)
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir(follow_symlinks=True):
                    if not name.startswith("."):
                        stack.append(entry.path)
                    continue
            except OSError:
                pass
            if not has_image_suffix(name) or name.startswith("."):
                continue
            path = entry.path
            if not _is_utf8(path):
                yield Problem(_printable(path), folder_id, "file name is not valid UTF-8")
                continue
            try:
                fst = entry.stat(follow_symlinks=True)
            except FileNotFoundError:
                yield Problem(path, folder_id, "broken symbolic link")
                continue
            except OSError as exc:
                yield Problem(path, folder_id, f"cannot read file: {exc.strerror or exc}")
                continue
            if stat.S_ISREG(fst.st_mode):
                yield FileInfo(path, folder_id, fst.st_size, fst.st_mtime_ns)


def scan(catalog: Catalog, folders: list[FolderRow]) -> ScanDiff:
    diff = ScanDiff()
    on_disk: dict[str, FileInfo] = {}
    known: dict[str, PhotoRow] = {}
    for folder in folders:
        if not os.path.isdir(folder.path):
            # An unplugged drive is not a deletion: keep its photos until it comes back.
            continue
        for item in walk_images(folder.path, folder.id):
            if isinstance(item, Problem):
                diff.problems.append(item)
            else:
                on_disk[item.path] = item
        known.update((row.path, row) for row in catalog.photos_in_folder(folder.id))

    problem_paths = {p.path for p in diff.problems}
    for path, row in known.items():
        if path not in on_disk and path not in problem_paths:
            diff.deleted.append(row)

    new_files: list[FileInfo] = []
    for path, info in on_disk.items():
        row = known.get(path)
        if row is None:
            new_files.append(info)
        elif (row.size, row.mtime_ns) != (info.size, info.mtime_ns):
            diff.modified.append((row, info))
        elif row.status == PENDING:
            diff.retry.append((row, info))
        else:
            diff.unchanged += 1

    _pair_moves(diff, new_files)
    return diff


def _pair_moves(diff: ScanDiff, new_files: list[FileInfo]) -> None:
    vanished = [row for row in diff.deleted if row.status == INDEXED and row.hash]
    sizes = {row.size for row in vanished}
    by_hash = {row.hash: row for row in vanished}
    for info in new_files:
        row = None
        if info.size in sizes:
            try:
                row = by_hash.pop(content_hash(info.path), None)
            except OSError:
                row = None
        if row is None:
            diff.added.append(info)
        else:
            diff.moved.append((row, info))
            diff.deleted.remove(row)


def _is_utf8(path: str) -> bool:
    try:
        path.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _printable(path: str) -> str:
    return os.fsencode(path).decode("utf-8", "backslashreplace")

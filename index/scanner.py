"""Walk library folders and diff what is on disk against the catalog.

The diff says what to encode (new, changed, unfinished), what moved (same bytes at a
new path: the vector is kept), and what is gone. Moves are found by content hash, and
only files whose size equals a vanished photo's size are hashed.

``scan`` walks whole folders; ``scan_paths`` diffs only some files and subfolders (what a
watcher saw change). Both treat an offline library folder (unplugged or unmounted drive:
see :mod:`index.offline`) and a folder that cannot be listed as "unknown", never as
"deleted".

(Over 300 lines: the walk, the diff and the move pairing share the same rules for what
counts as unknown, changed or moved; they are read together.)
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from index.catalog import INDEXED, PENDING, SKIPPED, Catalog, FolderRow, PhotoRow
from index.error_text import BROKEN_LINK, UNLISTABLE_FOLDER, UNREADABLE_FILE
from index.exclusions import is_excluded, patterns
from index.hashing import content_hash
from index.offline import folder_device, is_offline
from index.paths import is_within

# Camera RAW files: indexed from their embedded preview (the decoder is chosen by is_raw).
RAW_SUFFIXES = (".dng", ".cr2", ".cr3", ".nef", ".arw", ".raf", ".orf", ".rw2", ".pef", ".srw")
IMAGE_SUFFIXES = (
    ".jpg", ".jpeg", ".jpe", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".heic", ".heif",
    *RAW_SUFFIXES,
)  # fmt: skip


class FileInfo(NamedTuple):  # a tuple: a scan builds one per file, and quickly
    path: str
    folder_id: int
    size: int
    mtime_ns: int
    ctime_ns: int | None = None
    inode: int | None = None


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
    relabelled: list[tuple[PhotoRow, FileInfo]] = field(default_factory=list)  # same bytes
    unchanged: int = 0
    devices: dict[int, int] = field(default_factory=dict)  # folder id -> new st_dev

    def is_empty(self) -> bool:
        return not (
            self.to_encode() or self.moved or self.deleted or self.problems or self.relabelled
        )

    def to_encode(self) -> list[FileInfo]:
        return self.added + [f for _, f in self.modified] + [f for _, f in self.retry]


def has_image_suffix(name: str) -> bool:
    return name.lower().endswith(IMAGE_SUFFIXES)


def is_raw(name: str) -> bool:
    return name.lower().endswith(RAW_SUFFIXES)


def walk_images(
    root: str, folder_id: int, exclude: Sequence[str] = (), base: str | None = None
) -> Iterator[FileInfo | Problem]:
    """Yield every image-named file below ``root`` (symlinks followed, loops cut).

    A subfolder that cannot be listed is yielded as a :class:`Problem` (its photos are
    then neither indexed nor deleted); hidden files and folders are ignored, and so are
    paths that ``exclude`` patterns match relative to ``base`` (the library folder, by
    default ``root``).
    """
    base = base or root
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
        except FileNotFoundError:
            continue  # vanished while walking: its rows count as deleted
        except OSError as exc:
            reason = UNLISTABLE_FOLDER.format(error=exc.strerror or exc)
            yield Problem(directory, folder_id, reason)
            continue
        for entry in entries:
            name = entry.name
            if name.startswith(".") or (
                exclude and is_excluded(os.path.relpath(entry.path, base), exclude)
            ):
                continue
            try:
                if entry.is_dir(follow_symlinks=True):
                    stack.append(entry.path)
                    continue
            except OSError:
                pass
            if has_image_suffix(name):
                item = _file_item(entry.path, folder_id, entry)
                if item is not None:
                    yield item


def file_item(path: str, folder_id: int) -> FileInfo | Problem | None:
    """One image-named file as the scanner sees it; None if gone or not a regular file."""
    if not has_image_suffix(os.path.basename(path)):
        return None
    return _file_item(path, folder_id, None)


def _file_item(path: str, folder_id: int, entry: os.DirEntry | None) -> FileInfo | Problem | None:
    try:
        fst = entry.stat(follow_symlinks=True) if entry else os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return Problem(path, folder_id, BROKEN_LINK)
        return None
    except OSError as exc:
        return Problem(path, folder_id, UNREADABLE_FILE.format(error=exc.strerror or exc))
    if stat.S_ISREG(fst.st_mode):
        return FileInfo(path, folder_id, fst.st_size, fst.st_mtime_ns, fst.st_ctime_ns, fst.st_ino)
    return None


def scan(catalog: Catalog, folders: list[FolderRow]) -> ScanDiff:
    """Diff every file below ``folders`` against the catalog."""
    found: list[FileInfo | Problem] = []
    known: dict[str, PhotoRow] = {}
    devices: dict[int, int] = {}
    for folder in folders:
        if is_offline(folder):
            # An unplugged drive is not a deletion: keep its photos until it comes back.
            continue
        before = len(found)
        found.extend(walk_images(folder.path, folder.id, patterns(folder)))
        known.update((row.path, row) for row in catalog.photos_in_folder(folder.id))
        device = folder_device(folder.path)
        if len(found) > before and device is not None and device != folder.device:
            devices[folder.id] = device
    diff = _diff(found, known, retry_skipped=False)
    diff.devices = devices
    return diff


def scan_paths(catalog: Catalog, folders: list[FolderRow], paths: Iterable[str]) -> ScanDiff:
    """Diff only ``paths`` (files or folders, present or gone) against the catalog.

    Paths outside every library folder, inside hidden folders, or in a library folder
    that is missing (unplugged) are ignored. Skipped photos among them are retried even
    if unchanged (a permission fix changes no size or mtime).
    """
    found: list[FileInfo | Problem] = []
    known: dict[str, PhotoRow] = {}
    for path in _outermost(paths):
        folder = owning_folder(folders, path)
        if folder is None or is_offline(folder) or _hidden_below(folder.path, path):
            continue
        rules = patterns(folder)
        if rules and is_excluded(os.path.relpath(path, folder.path), rules):
            continue
        row = catalog.photo_by_path(path)
        if row is not None:
            known[row.path] = row
        known.update((r.path, r) for r in catalog.photos_under(path))
        try:
            is_dir = os.path.isdir(path)
        except OSError:
            is_dir = False
        if is_dir:
            found.extend(walk_images(path, folder.id, rules, folder.path))
        else:
            item = file_item(path, folder.id)
            if item is not None:
                found.append(item)
    diff = _diff(found, known, retry_skipped=True)
    _pair_moves_from_elsewhere(catalog, diff)
    return diff


def owning_folder(folders: list[FolderRow], path: str) -> FolderRow | None:
    """The library folder containing ``path`` (the deepest, if folders nest)."""
    best: FolderRow | None = None
    for folder in folders:
        if is_within(path, folder.path) and (best is None or len(folder.path) > len(best.path)):
            best = folder
    return best


def _diff(
    found: list[FileInfo | Problem], known: dict[str, PhotoRow], *, retry_skipped: bool
) -> ScanDiff:
    diff = ScanDiff()
    on_disk: dict[str, FileInfo] = {}
    for item in found:
        if isinstance(item, Problem):
            diff.problems.append(item)
        else:
            on_disk[item.path] = item

    problem_paths = {p.path for p in diff.problems}
    unlisted = [
        p.path for p in diff.problems if p.reason.startswith(UNLISTABLE_FOLDER.split("{")[0])
    ]
    for path, row in known.items():
        if path in on_disk or path in problem_paths:
            continue
        if any(is_within(path, folder) for folder in unlisted):
            continue  # cannot see it: unknown, not deleted
        diff.deleted.append(row)

    new_files: list[FileInfo] = []
    for path, info in on_disk.items():
        row = known.get(path)
        if row is None:
            new_files.append(info)
        elif row.size != info.size or row.mtime_ns != info.mtime_ns:
            diff.modified.append((row, info))
        elif (row.ctime_ns != info.ctime_ns or row.inode != info.inode) and _replaced(row, info):
            diff.modified.append((row, info))
        elif row.status == PENDING or (retry_skipped and row.status == SKIPPED):
            diff.retry.append((row, info))
        else:
            diff.unchanged += 1
            if row.ctime_ns != info.ctime_ns or row.inode != info.inode:
                diff.relabelled.append((row, info))

    _pair_moves(diff, new_files)
    return diff


def _replaced(row: PhotoRow, info: FileInfo) -> bool:
    """Same size and mtime, but is it the same file? A new inode or ctime (a file copied
    over it with its mtime kept, a restore) is checked against the content hash: only
    other bytes are a replacement; a chmod or a rename costs one read, never an encode."""
    if row.ctime_ns is None:
        return False  # recorded before ctime was: nothing to compare yet
    try:
        return content_hash(info.path) != row.hash
    except OSError:
        return True


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


def _pair_moves_from_elsewhere(catalog: Catalog, diff: ScanDiff) -> None:
    """A new file whose bytes match an indexed photo that is gone from disk is that photo,
    moved (its old path lay outside this scan: events for a move can arrive apart)."""
    hashes: dict[str, FileInfo] = {}
    for info in diff.added:
        try:
            hashes.setdefault(content_hash(info.path), info)
        except OSError:
            continue
    if not hashes:
        return
    for digest, row in catalog.indexed_by_hash(hashes).items():
        if os.path.lexists(row.path):
            continue  # a copy, not a move
        info = hashes[digest]
        diff.added.remove(info)
        diff.moved.append((row, info))


def _hidden_below(folder: str, path: str) -> bool:
    rel = os.path.relpath(path, folder)
    return any(part.startswith(".") and part not in (".", "..") for part in rel.split(os.sep))


def _outermost(paths: Iterable[str]) -> list[str]:
    """Drop paths inside other given paths (walking the outer one covers them)."""
    ordered = sorted({os.path.normpath(p) for p in paths})
    out: list[str] = []
    for path in ordered:
        if not any(is_within(path, kept) for kept in out):
            out.append(path)
    return out

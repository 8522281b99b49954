"""What a run reads: files under the given paths, the entries of zip archives, and the things it
refuses with a reason (special files, unsafe archives) so they still get a row and a line.

Every source has ``read_bytes()``, ``name``, ``suffix`` and a ``str()`` that is its
``source_path`` (``archive.zip/folder/file.pdf`` for a zip entry).
"""
from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator, Union

from .read import ReadError, check_zip

SKIP_NAMES = {".DS_Store", "Thumbs.db", ".gitkeep"}


@dataclass(frozen=True)
class ZipMember:
    """One file inside a zip archive given as input."""

    archive: Path
    member: str

    def read_bytes(self) -> bytes:
        with zipfile.ZipFile(self.archive) as z, z.open(self.member) as f:
            return f.read()

    @property
    def name(self) -> str:
        return PurePosixPath(self.member).name

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.member).suffix

    def __str__(self) -> str:
        return f"{self.archive}/{self.member}"


@dataclass(frozen=True)
class Refused:
    """An input that is not read, and why (a FIFO, a device, an archive that would not be safe)."""

    path: Path
    status: str
    reason: str

    def read_bytes(self) -> bytes:
        raise ReadError(self.status, self.reason)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def suffix(self) -> str:
        return self.path.suffix

    def __str__(self) -> str:
        return str(self.path)


Source = Union[Path, ZipMember, Refused]


def iter_sources(paths: Iterable[Path]) -> Iterator[Source]:
    """Every input under the given paths, in a stable order; hidden files and symlink loops skipped."""
    for root in paths:
        if root.is_dir():
            yield from _walk(root)
        elif root.exists() or root.is_symlink():
            yield from _one(root)


def _walk(root: Path) -> Iterator[Source]:
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        st = os.stat(dirpath)
        key = (st.st_dev, st.st_ino)
        if key in seen:   # a symlink loop: this folder was walked already
            dirnames[:] = []
            continue
        seen.add(key)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or name in SKIP_NAMES:
                continue
            yield from _one(Path(dirpath) / name)


def _one(path: Path) -> Iterator[Source]:
    try:
        st = path.stat()
    except OSError as e:
        yield Refused(path, "unreadable", f"cannot open: {e.strerror or e}")
        return
    if not stat.S_ISREG(st.st_mode):
        yield Refused(path, "unsupported_format", "not a regular file (a pipe, socket or device)")
        return
    if _is_plain_zip(path):
        yield from _zip_members(path)
        return
    yield path


def _is_plain_zip(path: Path) -> bool:
    """A zip archive given as input (not a DOCX, which is a zip too)."""
    try:
        with open(path, "rb") as f:
            if f.read(4) != b"PK\x03\x04":
                return False
        with zipfile.ZipFile(path) as z:
            return "word/document.xml" not in z.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def _zip_members(path: Path) -> Iterator[Source]:
    try:
        infos = check_zip(path, "zip archive")
    except ReadError as e:
        yield Refused(path, e.status, str(e))
        return
    for info in sorted(infos, key=lambda i: i.filename):
        name = PurePosixPath(info.filename)
        if info.is_dir() or any(part.startswith(".") for part in name.parts) or name.name in SKIP_NAMES:
            continue
        yield ZipMember(path, info.filename)

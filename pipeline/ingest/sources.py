"""What a run reads: files under the given paths, the entries of zip archives, and the things it
refuses with a reason (special files, unsafe archives) so they still get a row and a line.

Every source has ``read_bytes()``, ``name``, ``suffix`` and a ``str()`` that is its
``source_path`` (``archive.zip/folder/file.pdf`` for a zip entry).
"""
from __future__ import annotations

import functools
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator, Union

from .raw import ReadError
from .zipsafe import MAX_ZIP_ENTRY_BYTES, check_zip

SKIP_NAMES = {".DS_Store", "Thumbs.db", ".gitkeep"}


@dataclass(frozen=True)
class ZipMember:
    """One file inside a zip archive given as input."""

    archive: Path
    member: str

    def read_bytes(self) -> bytes:
        with zipfile.ZipFile(self.archive) as z, z.open(self.member) as f:
            data = f.read(MAX_ZIP_ENTRY_BYTES + 1)   # the bytes that come out, not the size the entry declares
        if len(data) > MAX_ZIP_ENTRY_BYTES:
            raise ReadError("refused", f"zip entry expands beyond {MAX_ZIP_ENTRY_BYTES // 2**20} MB")
        return data

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

MAX_FILE_BYTES = 256 * 2**20   # a larger file is refused before it is read (a 3 GB sparse file)
# a text or web page is its characters: the largest document of an archive is ~1 MB, and normalizing
# costs ~20 bytes of memory a character, so a 200 MB text (4–5 GB) is refused before it is read
MAX_TEXT_BYTES = 32 * 2**20
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".csv", ".log"})
# the names of the documents vanban reads: a symlink out of the folders given is followed only to a regular
# file so named (a folder of links gathering documents kept elsewhere), never to a folder or another file
DOCUMENT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text", ".html", ".htm", ".xhtml", ".pdf", ".docx", ".doc"})


def source_path(source: Source) -> str:
    """The ``source_path`` stored for a source: a name that is not UTF-8 is kept with its bytes escaped
    (``b\\xe0d.txt``), so it can be stored, printed and found again on the next run."""
    s = str(source)
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return os.fsencode(s).decode("utf-8", "backslashreplace")


def iter_sources(paths: Iterable[Path], exclude: Iterable[Path] = ()) -> Iterator[Source]:
    """Every input under the given paths, in a stable order; hidden files and symlink loops skipped.

    A symlink whose target is outside the folders given is reported (``refused``) and not
    followed, unless it names a document file (:data:`DOCUMENT_SUFFIXES`), which is read under the
    link's path; files in ``exclude`` (the database being written, its WAL) are not inputs.
    """
    paths = list(paths)
    # the folders given, resolved only when a link is met (thousands of files given one by one resolve nothing)
    inside = functools.cache(lambda: [os.path.realpath(p) for p in paths])
    skip = {os.path.realpath(p) for p in exclude}
    skip_names = {os.path.basename(p) for p in skip}
    for root in paths:
        try:
            st = os.stat(root)
        except OSError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            yield from _walk(root, inside, skip, skip_names)
            continue
        link = root.is_symlink()
        if (st is not None or link) and not _excluded(root, link, skip, skip_names):
            yield from _one(root, st)


def _excluded(path: Path, link: bool, skip: set[str], skip_names: set[str]) -> bool:
    """Whether ``path`` resolves to one of ``skip``: only a link, or a file with the name of one (folders on the
    way may be links), can; the others are not resolved (a system call per folder of the path each)."""
    return (link or path.name in skip_names) and os.path.realpath(path) in skip


def _under(real: str, roots: list[str]) -> bool:
    return any(real == r or real.startswith(r.rstrip("/") + "/") for r in roots)


def _escapes(path: Path, roots: Callable[[], list[str]], link: bool | None = None) -> Refused | None:
    if not (path.is_symlink() if link is None else link):
        return None   # folders reached through a link were checked when the link was met
    real = os.path.realpath(path)
    if _under(real, roots()) or (os.path.isfile(real) and os.path.splitext(real)[1].lower() in DOCUMENT_SUFFIXES):
        return None
    return Refused(path, "refused", f"symbolic link to {real}, outside the folders given and not a document file; "
                                    "not followed")


def _walk(root: Path, inside: Callable[[], list[str]], skip: set[str], skip_names: set[str]) -> Iterator[Source]:
    seen: set[tuple[int, int]] = set()
    unlisted: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=unlisted.append):
        while unlisted:   # a folder the run cannot list still gets a row and a line
            e = unlisted.pop()
            yield Refused(Path(e.filename), "unreadable", f"cannot list folder: {e.strerror or e}")
        st = os.stat(dirpath)
        key = (st.st_dev, st.st_ino)
        if key in seen:   # a symlink loop: this folder was walked already
            dirnames[:] = []
            continue
        seen.add(key)
        kept = []
        for d in sorted(d for d in dirnames if not d.startswith(".")):
            refused = _escapes(Path(dirpath) / d, inside)
            if refused:
                yield refused
            else:
                kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith(".") or name in SKIP_NAMES:
                continue
            path = Path(dirpath) / name
            try:
                own = os.lstat(path)
            except OSError:
                own = None   # gone since the folder was listed: _one says so
            link = own is not None and stat.S_ISLNK(own.st_mode)
            if _excluded(path, link, skip, skip_names):
                continue
            refused = _escapes(path, inside, link)
            if refused:
                yield refused
            else:
                yield from _one(path, None if link else own)
    while unlisted:
        e = unlisted.pop()
        yield Refused(Path(e.filename), "unreadable", f"cannot list folder: {e.strerror or e}")


def _one(path: Path, st: os.stat_result | None = None) -> Iterator[Source]:
    """``path`` as an input (a zip's members), or why it is refused; ``st``: its stat, when the walk has it."""
    try:
        st = st or path.stat()
    except OSError as e:
        yield Refused(path, "unreadable", f"cannot open: {e.strerror or e}")
        return
    if not stat.S_ISREG(st.st_mode):
        yield Refused(path, "unsupported_format", "not a regular file (a pipe, socket or device)")
        return
    if st.st_size > MAX_FILE_BYTES:
        yield Refused(path, "refused", f"file is {st.st_size / 2**20:.0f} MB (limit {MAX_FILE_BYTES // 2**20} MB)")
        return
    if st.st_size > MAX_TEXT_BYTES and path.suffix.lower() in TEXT_SUFFIXES:
        yield Refused(path, "refused", f"text file is {st.st_size / 2**20:.0f} MB (limit {MAX_TEXT_BYTES // 2**20} MB for text)")
        return
    if _is_plain_zip(path):
        yield from _zip_members(path)
        return
    yield path


def _is_plain_zip(path: Path) -> bool:
    """A zip archive given as input (not a DOCX, which is a zip too)."""
    try:
        fd = os.open(path, os.O_RDONLY)   # the first 4 bytes of every input: no buffered file object for them
        try:
            if os.read(fd, 4) != b"PK\x03\x04":
                return False
        finally:
            os.close(fd)
        with zipfile.ZipFile(path) as z:
            return "word/document.xml" not in z.namelist()
    except (OSError, zipfile.BadZipFile):
        return False
    except (UnicodeDecodeError, ValueError, EOFError, NotImplementedError):
        return True   # a zip that cannot be listed: _zip_members says why


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

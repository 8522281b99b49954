"""Folders vanban writes into: it never follows a symlink there and never removes or overwrites
what it did not create.

A folder vanban creates holds a marker file (:data:`MARKER`).  In a folder without the marker
vanban only adds files whose names are free; a name already taken by the user's file, folder
or symlink is refused with a one-line reason.  Files are written to a temporary name opened with
``O_NOFOLLOW | O_EXCL`` and renamed into place relative to the folder's descriptor.
"""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

MARKER = ".vanban-output"


class OutputError(Exception):
    """An output folder or file vanban will not write (the message says why)."""


def _why(e: OSError) -> str:
    return e.strerror or str(e)


def owned_folder(path: Path, create: bool = True) -> bool:
    """Make sure ``path`` is a folder vanban may write into; True when vanban created it (it holds the marker)."""
    if path.is_symlink() and not path.is_dir():
        raise OutputError(f"{path}: a symbolic link, not a folder")
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: exists and is not a folder")
    if not path.exists():
        if not create:
            return False
        try:
            path.mkdir(parents=True)
            fd = os.open(path / MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            os.write(fd, b"written by vanban; vanban may replace what is in this folder\n")
            os.close(fd)
        except OSError as e:
            raise OutputError(f"{path}: cannot write ({_why(e)})") from None
        return True
    m = path / MARKER
    return m.is_file() and not m.is_symlink()


def check_targets(folder: Path, names: list[str]) -> None:
    """Refuse, before anything is written, names in ``folder`` that vanban may not replace."""
    owned = owned_folder(folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{folder}: cannot write (permission denied)")
    for name in names:
        p = folder / name
        try:
            st = os.lstat(p)
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(st.st_mode):
            raise OutputError(f"{p}: a symbolic link; vanban does not write through it")
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(f"{p}: exists and is not a file vanban wrote (a folder?); choose another --to")
        if not owned:
            raise OutputError(f"{p}: exists and was not written by vanban; choose an empty or new folder")


def write_file(folder: Path, name: str, write) -> None:
    """``write(fileobj)`` into ``folder/name`` through a temporary file, never following a symlink."""
    dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    tmp = f".{name}.vanban-tmp-{os.getpid()}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=dfd)
        try:
            with os.fdopen(fd, "wb") as f:
                write(f)
            os.rename(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)   # replaces a file, never what a link points at
        except BaseException:
            try:
                os.unlink(tmp, dir_fd=dfd)
            except OSError:
                pass
            raise
    finally:
        os.close(dfd)


def remove_owned_tree(path: Path) -> None:
    """Remove a folder vanban created (it holds the marker); anything else is left alone."""
    if path.is_symlink() or not path.is_dir():
        return
    if not (path / MARKER).is_file():
        raise OutputError(f"{path}: not a folder vanban created (no {MARKER}); not removed")
    shutil.rmtree(path)

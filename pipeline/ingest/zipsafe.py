"""Zip safety: refuse a zip (a DOCX, an archive of documents) that would expand beyond reason or
names paths outside itself, before anything is read from it."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from .raw import ReadError

MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_BYTES = 512 * 2**20       # uncompressed, all entries
MAX_ZIP_RATIO = 200               # uncompressed / compressed, any entry
MAX_ZIP_ENTRY_BYTES = 256 * 2**20  # one entry, as it comes out


def check_zip(data: bytes | Path, what: str) -> list[zipfile.ZipInfo]:
    """Refuse a zip that would expand beyond reason (a zip bomb) or name paths outside itself."""
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as z:
            infos = z.infolist()
            problem = zip_problem(infos) or _expanded_problem(z, infos)
    except UnicodeDecodeError:
        raise ReadError("unreadable", f"not a readable {what} (an entry name flagged UTF-8 is not UTF-8)") from None
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError, OSError) as e:
        raise ReadError("unreadable", f"not a readable {what} ({type(e).__name__}: {str(e)[:120]})") from None
    if problem:
        raise ReadError("refused", f"{what} refused: {problem}")
    return infos


def _expanded_problem(z: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> str | None:
    """The limits again, on the bytes each entry really expands to (sizes in the header can be forged)."""
    total = 0
    for i in infos:
        if i.is_dir():
            continue
        n = 0
        with z.open(i) as f:
            while chunk := f.read(1 << 20):
                n += len(chunk)
                total += len(chunk)
                if total > MAX_ZIP_BYTES:
                    return f"expands beyond {MAX_ZIP_BYTES // 2**20} MB"
                if n > MAX_ZIP_ENTRY_BYTES or (n > 1_000_000 and n > MAX_ZIP_RATIO * max(1, i.compress_size)):
                    return f"{i.filename} expands over {MAX_ZIP_RATIO}:1 (a zip bomb?)"
    return None


def zip_problem(infos: list[zipfile.ZipInfo]) -> str | None:
    if len(infos) > MAX_ZIP_ENTRIES:
        return f"{len(infos)} entries (limit {MAX_ZIP_ENTRIES})"
    total = sum(i.file_size for i in infos)
    if total > MAX_ZIP_BYTES:
        return f"{total / 2**20:.0f} MB uncompressed (limit {MAX_ZIP_BYTES // 2**20} MB)"
    for i in infos:
        if i.file_size > 1_000_000 and i.file_size > MAX_ZIP_RATIO * max(1, i.compress_size):
            return f"{i.filename} expands {i.file_size // max(1, i.compress_size)}:1 (a zip bomb?)"
        name = i.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/") or (len(name) > 1 and name[1] == ":"):
            return f"entry {i.filename!r} points outside the archive"
    return None

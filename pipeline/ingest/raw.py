"""What a reader hands on: the page texts of one file (:class:`RawDocument`), its ruled tables, and the
expected failure a reader raises (:class:`ReadError`, turned into the document's status)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# how scanned pages are read (``--ocr``): here, not in .pdf, so that the CLI starts without the PDF reader
OCR_MODES = ("auto", "always", "never")


@dataclass(frozen=True)
class RawTable:
    """A ruled table as pdfplumber reads it: rows of cell texts (None where a merged cell spans)."""

    page: int                          # 0-based
    rows: tuple[tuple[str | None, ...], ...]


@dataclass
class RawDocument:
    path: Path
    doc_id: str
    format: str                       # pdf | docx | html | txt | md | unknown
    pages: list[str] = field(default_factory=list)
    status: str = "ok"                # ok | unreadable | empty | no_text_layer | garbled_text_layer | unsupported_format
    error: str | None = None
    tables: list[RawTable] = field(default_factory=list)   # ruled PDF tables, cell by cell
    text_source: str = "text"         # text | ocr | text+ocr | tcvn3 | vni (how the text was obtained)
    ocr_pages: tuple[int, ...] = ()   # 0-based pages read by OCR

    @property
    def raw_text(self) -> str:
        return "\f".join(self.pages)

    @property
    def page_starts(self) -> tuple[int, ...]:
        starts, pos = [], 0
        for p in self.pages:
            starts.append(pos)
            pos += len(p) + 1
        return tuple(starts) or (0,)


class ReadError(Exception):
    """An expected failure to read a file; ``status`` is the short reason stored in documents."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status

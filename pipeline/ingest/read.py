"""Stage 1: read a file into page texts.

The format is decided from the bytes (magic numbers, markup), the extension only breaks ties;
then the reader of that format (one module each: :mod:`.pdf`, :mod:`.docx`, :mod:`.html`,
:mod:`.text`, :mod:`.doc`) turns the bytes into pages.  Readers return a :class:`RawDocument`;
a file that cannot be read gets a ``status`` and a one-line ``error`` instead of an exception.
Legacy encodings (:mod:`.encodings`) and mojibake are repaired here, after any reader.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import regex

from .doc import read_doc
from .docx import read_docx
from .encodings import convert, detect
from .html import read_html
from .mojibake import is_bad
from .pdf import GARBLED_SHARE, PdfTables, garbled_share, pdf_tables, read_pdf
from .raw import OCR_MODES, RawDocument, RawTable, ReadError
from .text import bom_encoding, decode_text, read_text
from .zipsafe import MAX_ZIP_ENTRY_BYTES, check_zip

__all__ = ["OCR_MODES", "MAX_ZIP_ENTRY_BYTES", "RawDocument", "RawTable", "ReadError", "check_zip", "decode_text",
           "read_document", "read_pdf", "repair_mojibake", "sniff"]

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


_HTML_TAG = regex.compile(r"<(html|body|head)[\s>]")
_LETTER = regex.compile(r"\p{L}")


def sniff(data: bytes, suffix: str) -> str:
    head = data[:4096]
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return "unknown"
        if "word/document.xml" in names:
            return "docx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc" if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data or suffix == ".doc" else "ole"
    text_head = _decode_head(head).lstrip().lower()
    if text_head.startswith(("<!doctype html", "<html", "<?xml")) or _HTML_TAG.search(text_head[:2048]):
        return "html"
    if suffix in HTML_SUFFIXES and "<" in text_head:
        return "html"
    return "md" if suffix in (".md", ".markdown") else "txt"


def _decode_head(head: bytes) -> str:
    enc = bom_encoding(head, utf32=False)
    if enc:
        return head.decode(enc, errors="ignore")
    if head[1::2].count(0) > len(head) // 4:
        return head.decode("utf-16-le", errors="ignore")
    if head[0::2].count(0) > len(head) // 4:
        return head.decode("utf-16-be", errors="ignore")
    return head.decode("utf-8", errors="ignore")


def repair_mojibake(text: str) -> str | None:
    """The text with UTF-8-read-as-Windows-1252 undone by ftfy, or None when it is not mojibake."""
    try:
        import ftfy
    except ImportError:
        return None
    if not is_bad(text):
        return None
    fixed = ftfy.fix_encoding(text)
    return fixed if fixed != text else None


# --- entry point -----------------------------------------------------------------------------

# readers that turn bytes into page texts (PDF, which also reports its OCR'd pages, is read apart)
READERS = {"doc": read_doc, "docx": read_docx, "html": read_html, "txt": read_text, "md": read_text}


def read_document(path: Path, data: bytes | None = None, ocr: str = "auto") -> RawDocument:
    """Read one file; never raises for a bad file (the status and error say what went wrong)."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as e:
            return RawDocument(path, "", "unknown", status="unreadable", error=f"cannot open: {e.strerror or e}")
    doc_id = hashlib.sha256(data).hexdigest()
    if not data:
        return RawDocument(path, doc_id, "unknown", status="empty", error="file is empty (0 bytes)")
    fmt = sniff(data, path.suffix.lower())
    reader = READERS.get(fmt)
    if reader is None and fmt != "pdf":
        what = {"zip": "a zip archive that is not DOCX", "ole": "a legacy Office file (.doc/.xls)"}.get(fmt, "unrecognised content")
        return RawDocument(path, doc_id, fmt, status="unsupported_format", error=f"unsupported format: {what}")
    ocr_pages: list[int] = []
    tables = PdfTables()   # read with the pages' text, handed on below
    try:
        if fmt == "pdf":
            pages, ocr_pages = read_pdf(data, ocr, tables)
        else:
            pages = reader(data)
    except ReadError as e:
        return RawDocument(path, doc_id, fmt, status=e.status, error=str(e))
    doc = RawDocument(path, doc_id, fmt, pages, ocr_pages=tuple(ocr_pages))
    if ocr_pages:
        doc.text_source = "ocr" if len(ocr_pages) == len(pages) else "text+ocr"
    if fmt in ("pdf", "txt", "md"):
        legacy = detect(doc.raw_text)
        if legacy:   # TCVN3 / VNI fonts or files: the same text in Unicode
            doc.pages = [convert(p, legacy) for p in doc.pages]
            doc.text_source = legacy
    if fmt in ("txt", "md", "html", "doc") and doc.text_source == "text":
        fixed = [repair_mojibake(p) for p in doc.pages]
        if any(f is not None for f in fixed):   # UTF-8 read as Windows-1252 somewhere on the way
            doc.pages = [f if f is not None else p for f, p in zip(fixed, doc.pages)]
            doc.text_source = "mojibake"
    share = garbled_share(doc.raw_text) if fmt == "pdf" else 0.0   # only a PDF text layer can be garbled
    if fmt == "pdf" and share > GARBLED_SHARE:
        doc.status = "garbled_text_layer"
        doc.error = (f"text layer maps glyphs to wrong characters ({share:.0%} impossible code points; "
                     + ("OCR could not read it)" if ocr_pages else "install tesseract-ocr and tesseract-ocr-vie to OCR it)"))
    elif fmt == "pdf":
        try:
            doc.tables = pdf_tables(data, tables)
        except Exception as e:  # noqa: BLE001 - a table that cannot be read leaves the text readable
            doc.error = f"tables not read: {type(e).__name__}: {str(e).splitlines()[0][:80] if str(e) else ''}"
    if doc.status == "ok" and not _LETTER.search(doc.raw_text):
        if fmt == "pdf":
            doc.status, doc.error = "no_text_layer", (f"PDF has no text layer ({len(pages)} pages; "
                                                      + ("OCR found no text)" if ocr_pages else "install tesseract-ocr and tesseract-ocr-vie to OCR it)"))
        else:
            doc.status, doc.error = "empty", "no text found"
    return doc

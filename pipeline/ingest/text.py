"""The text reader (.txt, .md): bytes decoded by their byte-order mark, NUL pattern, UTF-8, else
Windows-1258 (TCVN3 / VNI bytes are left for :mod:`.encodings`)."""
from __future__ import annotations

import codecs
import re

import regex

from .encodings import detect
from .raw import ReadError

# byte-order marks and the codec each calls for, in the order they are tried
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
        (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"))


def bom_encoding(data: bytes, utf32: bool = True) -> str | None:
    """The codec named by the byte-order mark ``data`` starts with, or None."""
    for bom, enc in BOMS if utf32 else BOMS[:3]:
        if data.startswith(bom):
            return enc
    return None


# characters that only occur in Vietnamese text decoded from Windows-1258 (combining tone marks)
_CP1258_MARKS = regex.compile(r"[\u0300\u0301\u0303\u0309\u0323]")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern), else Windows-1258."""
    enc = bom_encoding(data)
    if enc:
        return data.decode(enc, errors="replace")
    sample = data[:8192]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
        return data.decode("utf-16-le", errors="replace")
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4:
        return data.decode("utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        # a file cut inside a multi-byte character still reads as UTF-8
        if e.start >= len(data) - 3:
            return data[:e.start].decode("utf-8")
    latin = data.decode("latin-1")
    if detect(latin):   # TCVN3 / VNI: converted by read_document
        return latin
    text = data.decode("cp1258", errors="replace")
    if _CP1258_MARKS.search(text) or not _HIGH_BYTE.search(data):
        return text
    return data.decode("utf-8", errors="replace")


def read_text(data: bytes) -> list[str]:
    text = decode_text(data)
    if "\x00" in text or _binary_share(text) > 0.1:
        raise ReadError("unreadable", "binary content, not text")
    return [text]


# control characters other than \t \n \f \r, and the replacement character of a failed decode
_BINARY_CHAR = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _binary_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    return len(_BINARY_CHAR.findall(sample)) / len(sample)

"""The sentence around a span, as a flag or a validity row quotes it (the same text in the worker that
extracts a document and in the checks that read it from the database)."""
from __future__ import annotations

import regex

from .vocab import WS

SENTENCE_CUT = regex.compile(r"[.;!?](?=\s)|\n\s*\n")
SENTENCE_END = regex.compile(r"[.;!?](?=\s|$)")


def sentence_start(text: str, start: int) -> int:
    """Where the sentence holding ``start`` begins (at most 300 characters back)."""
    lo = max(0, start - 300)
    cut = [m.end() for m in SENTENCE_CUT.finditer(text, lo, start)]
    return cut[-1] if cut else lo


def sentence(text: str, start: int, end: int) -> str:
    """The sentence of ``text[start:end]`` (at most 300 characters either side), its whitespace collapsed."""
    s = sentence_start(text, start)
    m = SENTENCE_END.search(text, end, end + 300)
    e = m.end() if m else min(len(text), end + 300)
    return WS.sub(" ", text[s:e]).strip()

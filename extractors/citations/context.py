"""What is written around a mention, found the same way for every citation form: the pinpoints
before it (``điểm b khoản 1 Điều 41 …``) and its date (``… ngày 23/7/2012`` after it, or
``Ngày 29/6/2026, … ban hành …`` leading its sentence)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

from .. import patterns as P
from ..dates import from_match
from ..models import Pinpoint

SENTENCE_BREAK = regex.compile(r"[.;!?]\s|\n\n")
ISSUED_WORD = regex.compile(r"ban\s+hành|ký|phê\s+duyệt", regex.V1 | regex.I)
# the words a pinpoint (patterns.PIN_ITEM) starts with, in lower case: PIN_CHAIN is searched from the first one
PIN_WORDS = ("điểm", "khoản", "điều", "mục", "phụ", "chương")


@dataclass(frozen=True, slots=True)
class Around:
    start: int                 # the mention with its pinpoints and date
    end: int
    pinpoints: tuple[Pinpoint, ...]
    cited_date: dt.date | None


def around(text: str, start: int, end: int, floor: int, leading_date: bool = True) -> Around:
    """Pinpoints written right before ``text[start:end]`` (not before ``floor``, the end of the previous
    mention), and the date written with it: after it, else (``leading_date``) leading its sentence."""
    pins: tuple[Pinpoint, ...] = ()
    lo = _first_pin_word(text, max(floor, start - 200), start)
    pc = P.PIN_CHAIN.search(text, lo, start) if lo is not None else None
    if pc and pc.end() == start:
        pins, start = pinpoints(pc.group("chain")), pc.start()
    cited = None
    da = P.DATE_AFTER.match(text, end, min(len(text), end + 80))
    if da:
        cited, end = from_match(da).value, da.end()
    elif leading_date:
        cited = date_leading_sentence(text, start, floor)
    return Around(start, end, pins, cited)


def _first_pin_word(text: str, lo: int, hi: int) -> int | None:
    """Where the first word a pinpoint can start with stands in ``text[lo:hi]`` (any case); None if none does."""
    low = text[lo:hi].lower()
    if len(low) != hi - lo:   # a letter whose lower case is longer ('İ'): no offsets to read, search it all
        return lo
    found = [i for i in map(low.find, PIN_WORDS) if i >= 0]
    return lo + min(found) if found else None


def pinpoints(chain: str) -> tuple[Pinpoint, ...]:
    """'điểm b khoản 1 Điều 41 và khoản 3 Điều 47' → one Pinpoint per article (or section)."""
    out: list[Pinpoint] = []
    point = clause = None
    for m in P.PIN_PART.finditer(chain):
        kind, val = m.group("kind").lower(), m.group("val").rstrip(".")
        if kind == "điểm":
            point = point or val
        elif kind == "khoản":
            clause = clause or val
        elif kind == "điều":
            out.append(Pinpoint(article=val, clause=clause, point=point))
            point = clause = None
        else:
            label = val if kind == "mục" else f"{'Phụ lục' if kind.startswith('phụ') else 'Chương'} {val}"
            out.append(Pinpoint(section=label))
    if point or clause:
        out.append(Pinpoint(clause=clause, point=point))
    return tuple(out)


def date_leading_sentence(text: str, start: int, floor: int) -> dt.date | None:
    """'Ngày 28 tháng 10 năm 2025, Chủ tịch … đã ban hành Công văn số 3280/UBND-VX': the date that
    opens the sentence, when the sentence says the document was issued then."""
    best = None
    lo = text.find("Ngày", max(floor, start - 300), start)   # where the pattern can first match
    for m in P.DATE_LEADS_SENTENCE.finditer(text, lo, start) if lo >= 0 else ():
        best = m
    if not best:
        return None
    between = text[best.end():start]
    if SENTENCE_BREAK.search(between) or not ISSUED_WORD.search(between):
        return None
    return from_match(best).value

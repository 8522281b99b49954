"""Rules over the dates written in a text."""
from __future__ import annotations

import functools
from typing import Iterable

import regex

from .common import Scope, _Texts, _file, _rows, flag, flag_context
from .registry import rule


@functools.cache
def _not_a_claim() -> tuple[regex.Pattern, ...]:
    """What, just before a date, makes it no date the text asserts (an ISBN, an example in help text)."""
    return tuple(regex.compile(e["pattern"], regex.V1 | regex.IGNORECASE)
                 for e in flag_context()["date_not_a_claim"])


def _julian(day: int, month: int, year: int) -> bool:
    """29 February of every fourth year, in the centuries when the Julian calendar was still in use."""
    return day == 29 and month == 2 and year % 4 == 0 and year < flag_context()["julian_until"]


@rule
def impossible_date(con, texts: _Texts, scope: Scope) -> Iterable[dict]:
    """A written date that does not exist (ngày 15 tháng 54, 31/02).  Not a Julian 29 February, nor a
    date the text does not assert: the digits of an ISBN a wiki bot rewrote as a date, an example in help text."""
    for r in _rows(con, """SELECT x.doc_id, x.day, x.month, x.year, x.char_start, x.char_end, x.surface, d.source_path
                           FROM dates x JOIN documents d USING (doc_id) WHERE x.value IS NULL"""):
        before = texts.before(r.doc_id, r.char_start)[-60:]
        if _julian(r.day, r.month, r.year) or any(p.search(before) for p in _not_a_claim()):
            continue
        why = "month" if not 1 <= r.month <= 12 else "day"
        yield flag("impossible_date", "error", r.doc_id, None,
                   f"'{r.surface}' is not a date (no {why} {r.day if why == 'day' else r.month}"
                   f"{' in month ' + str(r.month) if why == 'day' else ''})",
                   {"file": _file(r.source_path), "sentence": texts.sentence(r.doc_id, r.char_start, r.char_end),
                    "day": int(r.day), "month": int(r.month), "year": int(r.year)},
                   found=r.surface, char_start=r.char_start, char_end=r.char_end, basis="the calendar")

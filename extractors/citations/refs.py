"""The số hiệu itself: its comparison keys, and one reader per form it is written in.

Each form of :data:`extractors.patterns.REF_RE` has its own small function that turns the match
into a :class:`Numbered` (number, year, symbol, the type and issuer its codes name); what is
around the mention (the type word, pinpoints, the date) is found afterwards, the same way for
every form (:mod:`.context`).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from .. import patterns as P
from .. import vocab
from ..vocab import WS

LEADING_ZEROS = regex.compile(r"^0+(?=\d)")
KEY_SEPARATORS = regex.compile(r"[\-.]")

# codes that name a type only in their slot, before an issuer: '15/CT-TTg', '03/CT-UBND' are Chỉ thị,
# but in '348/CT-CS', '4601/CT-PC' CT is the Cục Thuế (2025) followed by one of its units
SLOT_CODES = frozenset({"CT"})


def norm_ref(ref: str) -> str:
    """Comparison key of a số hiệu: no spaces, upper case, Đ unified, no leading zeros."""
    r = WS.sub("", ref).replace("Ð", "Đ").replace("đ", "Đ").upper()
    return LEADING_ZEROS.sub("", r)


@functools.lru_cache(maxsize=1 << 16)   # the same số hiệu is keyed again and again (roles, relations, flags)
def ref_key(ref: str | None) -> str | None:
    """The form two writings of one số hiệu share: '27/CTTg' and '27/CT-TTg', '05/KH' and '5/KH'.
    The dot of a dotted number stays: 66.7/2025/NQ-CP is not 667/2025/NQ-CP.  The one definition
    of the key (``citations.ref_key`` is stored from it; the flags and ``citation_network`` use it)."""
    if not ref:
        return None
    number, slash, rest = norm_ref(ref).partition("/")
    return number.replace("-", "") + slash + KEY_SEPARATORS.sub("", rest)


@dataclass(frozen=True, slots=True)
class Numbered:
    """What one written số hiệu says by itself."""

    start: int                 # where it starts (before a series number 'Nghị quyết 66 10/2025/NQ-CP')
    ref: str
    number: str
    year: int | None
    symbol: str | None
    segments: tuple[str, ...]  # the codes of its symbol, the document-type code first
    code_type: str | None      # the type its code names (NĐ → Nghị định)
    issuer: str | None
    party: bool = False        # a party document ('21-NQ/TW'): its code names no state type


def _clean(s: str) -> str:
    return WS.sub("", s)


def type_from_symbol(segments) -> str | None:
    if not segments:
        return None
    code = segments[0].upper()
    if code in SLOT_CODES and not (len(segments) > 1 and vocab.issuer_for_segment(segments[1])):
        return None
    return vocab.type_by_code().get(code)


def issuer_from_symbol(segments) -> str | None:
    found = []
    for seg in segments:
        iss = vocab.issuer_for_segment(seg)
        if iss and iss not in found:
            found.append(iss)
    return ", ".join(found) or None


def standard(m, text: str, floor: int) -> Numbered:
    """A national standard or technical regulation: 'QCVN 01:2019/BCT', 'TCVN 5574:2018'."""
    std, symbol = m.group("std"), m.group("ssym")
    return Numbered(m.start(), _clean(m.group()), m.group("snum"), int(m.group("syear")), symbol,
                    (std, *([symbol] if symbol else [])), vocab.type_by_code().get(std),
                    issuer_from_symbol(symbol.split("-")) if symbol else None)


def party(m, text: str, floor: int) -> Numbered:
    """A party document, number and code joined by a hyphen: '21-NQ/TW', '05-KL/TU'."""
    number, org = m.group("pnum"), m.group("porg").split("-")
    symbol = _clean(f"{m.group('pcode')}/{m.group('porg')}")
    segments = (m.group("pcode"), *org)
    return Numbered(m.start(), f"{number}-{symbol}", number, None, symbol, segments, type_from_symbol(segments),
                    issuer_from_symbol(org), party=True)


def state(m, text: str, floor: int) -> Numbered:
    """A state document, number / year / symbol: '59/2012/NĐ-CP', '242/QĐ-TTg', '66.7/2025/NQ-CP'."""
    s, number = m.start(), m.group("num")
    year = int(m.group("year")) if m.group("year") else None
    series = P.SERIES_BEFORE.search(text, max(0, s - 5), s) if year and "." not in number else None
    if series and P.TYPE_BEFORE.search(text, max(floor, series.start() - 60), series.start()):
        number, s = f"{series.group('series')}.{number}", series.start()   # 'Nghị quyết 66 10/2025/NQ-CP'
    symbol = _clean(m.group("sym"))
    ref = f"{number}/{year}/{symbol}" if year or "." in number else f"{number}/{symbol}"
    segments = tuple(symbol.split("-"))
    code_type = type_from_symbol(segments)
    issuer = issuer_from_symbol(segments[1:] if code_type is not None else segments)
    return Numbered(s, ref, number, year, symbol, segments, code_type, issuer)


# the alternatives of REF_RE, by the group that only its own branch sets
FORMS = (("std", standard), ("pnum", party), ("num", state))


def read_numbered(m, text: str, floor: int) -> Numbered:
    """The số hiệu of one REF_RE match, read by the function of its form."""
    return next(read for group, read in FORMS if m.group(group))(m, text, floor)

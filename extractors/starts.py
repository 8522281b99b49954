"""Where a date, a số hiệu or a law's name can start, found by cheap literal scans, so the full
patterns of :mod:`extractors.patterns` run only there instead of at every character.

A pattern tried at every position of the text costs ``regex`` ~20 ns a character whatever it finds
(issue 17); a date needs its separator twice or 'tháng', a số hiệu a '/' (or 'QCVN'/'TCVN'), a law
'Luật'/'Hiến'/'Pháp', and ``str.find`` or a ``re`` pattern that opens with a literal skips to those.
Each ``*_starts`` function returns, in order, a superset of the positions where its pattern can
match; :func:`finditer_at` then yields exactly what ``pattern.finditer(text)`` yields.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

import regex

# regex knows a newer Unicode than Python: digits and letters it has that str.isdecimal/isalpha and re do
# not know (all such digits lie outside the BMP) are asked of it, so every scan below stays a superset
DIGIT = r"[\d\U00010000-\U0010ffff]"   # re's \d, and any character outside the BMP
REGEX_DIGIT = regex.compile(r"\d")
REGEX_LETTER = regex.compile(r"\p{L}")
# a numeric date's first separator: the same one again after the month, then the year (patterns.NUMERIC_DATE);
# one pattern per separator, so each scan skips to a literal (re's \s covers regex's)
DATE_SEPARATORS = tuple(re.compile(rf"{re.escape(c)}(?=\s?{DIGIT}{DIGIT}?\s?{re.escape(c)}\s?{DIGIT}{{4}})")
                        for c in "/.-")
# the 'á' of 'tháng' in any case (patterns.WORDED_DATE is case-insensitive), one pattern each so both open with a literal
THANG = tuple(re.compile(rf"{a}(?<=[tT][hH]{a})(?=[nN][gG])") for a in "áÁ")


def finditer_at(pattern, text: str, starts: Iterable[int], endpos: int | None = None) -> Iterator:
    """``pattern.finditer(text, starts[0], endpos)``, trying only at ``starts`` (ascending, every position
    where a match can start among them): the same non-overlapping matches, left to right (the lookbehinds
    see the text before each start, as in a scan from 0)."""
    end = 0
    endpos = len(text) if endpos is None else endpos
    for s in starts:
        if s >= end and (m := pattern.match(text, s, endpos)):
            yield m
            end = m.end()


def _is_digit(c: str) -> bool:
    return c.isdecimal() or (c > "\uffff" and REGEX_DIGIT.match(c) is not None)


def _digits_before(text: str, j: int) -> int:
    """Start of the run of digits (regex's \\d) that ends at ``j`` (``j`` itself when there is none)."""
    while j and _is_digit(text[j - 1]):
        j -= 1
    return j


def _found(text: str, word: str) -> Iterator[int]:
    """Every position of ``word`` in ``text``."""
    i = text.find(word)
    while i >= 0:
        yield i
        i = text.find(word, i + 1)


def _ngay_before(text: str, d: int) -> int | None:
    """Where 'ngày' (any case) starts when only whitespace stands between it and ``d``."""
    i = d
    while i and text[i - 1].isspace():
        i -= 1
    return i - 4 if i >= 4 and text[i - 4:i].lower() == "ngày" else None


def date_starts(text: str) -> list[int]:
    """Where ``patterns.ANY_DATE`` can match: the day's first digit, right before a separator that
    comes back after the month or before 'tháng', and the 'ngày' written before that day."""
    days = set()
    for pat in DATE_SEPARATORS:
        for m in pat.finditer(text):
            j = m.start()
            if j and text[j - 1].isspace():   # '15 / 5 /2026'
                j -= 1
            d = _digits_before(text, j)
            if d < j:
                days.add(d)
    for m in (m for pat in THANG for m in pat.finditer(text)):
        j = m.start() - 2
        while j and text[j - 1].isspace():
            j -= 1
        d = _digits_before(text, j)
        if d < j:
            days.add(d)
    out = set(days)
    for d in days:
        n = _ngay_before(text, d)
        if n is not None:
            out.add(n)
    return sorted(out)


def _number_before(text: str, j: int, out: set[int]) -> None:
    """The starts a ``patterns.NUMBER`` ending at ``j`` can have: '59', '05a', '66.7' (the run before the dot too)."""
    if j and "a" <= text[j - 1] <= "z":
        j -= 1
    d = _digits_before(text, j)
    if d == j:
        return
    out.add(d)
    if d >= 2 and text[d - 1] == "." and _is_digit(text[d - 2]):
        out.add(_digits_before(text, d - 1))


def ref_starts(text: str) -> list[int]:
    """Where ``patterns.REF_RE`` can match: 'QCVN'/'TCVN', and the number before each '/' (right before
    it or one space away: '59/2012', '242 /QĐ'), or before the code of a party document ('21-NQ/TW')."""
    out: set[int] = set()
    for word in ("QCVN", "TCVN"):
        out.update(_found(text, word))
    s = text.find("/")
    while s >= 0:
        q = s - 1 if s and text[s - 1].isspace() else s
        _number_before(text, q, out)
        h = q
        while h and _letter(text[h - 1]):
            h -= 1
        if h < q and h and text[h - 1] == "-":   # '21-NQ/TW'
            _number_before(text, h - 1, out)
        s = text.find("/", s + 1)
    return sorted(out)


def _word_before(text: str, i: int, word: str) -> int | None:
    """Where ``word`` starts when only whitespace (at least one character) parts it from ``i``."""
    j = i
    while j and text[j - 1].isspace():
        j -= 1
    return j - len(word) if j < i and text[j - len(word):j] == word else None


# the law words of patterns.LAW_WORD by the letters they end with: (the letter before them, the word that
# whitespace parts from it, '' for none) — 'Luật', 'Bộ luật', 'Pháp lệnh', 'Hiến pháp' and their capitals
LAW_TAILS = {"uật": (("L", ""), ("l", "Bộ")), "UẬT": (("L", ""), ("L", "BỘ")),
             "háp": (("P", ""), ("p", "Hiến")), "HÁP": (("P", ""), ("P", "HIẾN"))}


def law_starts(text: str) -> list[int]:
    """Where ``patterns.LAW_WORD`` can match, found by the letters its words share ('uật', 'háp', …)."""
    out: list[int] = []
    for tail, forms in LAW_TAILS.items():
        for i in _found(text, tail):
            for letter, first in forms:
                if i and text[i - 1] == letter:
                    if not first:
                        out.append(i - 1)
                    elif (b := _word_before(text, i - 1, first)) is not None:
                        out.append(b)
    return sorted(set(out))


def first_words(words: Iterable[str]) -> "FirstWords":
    """Where any of ``words`` can start in a lower-cased text: a zero-width ``re`` scan for their first
    words (see :func:`word_matches`)."""
    words = [w.lower().split() for w in words]
    firsts = sorted({w[0] for w in words}, key=len, reverse=True)
    alternation = "|".join(map(re.escape, firsts))
    # consuming a first word hides no start of a match: inside it, a match could only start after one of
    # its letters, where a whole word cannot; unless a word holds something else ('v/v'): then every
    # position is tried (zero width)
    inside = any(not REGEX_LETTER.match(a[i - 1]) and (a[i:].startswith(b) or b.startswith(a[i:]))
                 for a in firsts for b in firsts for i in range(1, len(a)))
    pattern = re.compile(f"(?=({alternation}))" if inside else f"({alternation})")
    # a word every one of them holds ('hiệu' of 'hết hiệu lực', 'không còn hiệu lực'): a window without it has none
    common = set.intersection(*map(set, words)) if words else set()
    # when no first word begins another, the one found is the only one there, and a letter right before or
    # after it ('quy' of 'quyết') rules the place out without trying the pattern
    prefix_free = not any(a != b and b.startswith(a) for a in firsts for b in firsts)
    return FirstWords(pattern, max(sorted(common), key=len) if common else None, prefix_free)


@dataclass(frozen=True, slots=True)
class FirstWords:
    """Where the words of a whole_words pattern can start in lower-cased text, a word all of them hold,
    and whether no first word begins another."""

    scan: re.Pattern
    common: str | None
    prefix_free: bool


def _letter(c: str) -> bool:
    """Whether regex's \\p{L} holds ``c`` (str.isalpha says so for ASCII, regex is asked for the rest)."""
    return c.isalpha() if c.isascii() else REGEX_LETTER.match(c) is not None


def word_matches(pattern, firsts: "FirstWords", text: str, lo: int, hi: int) -> Iterator:
    """``pattern.finditer(text, lo, hi)`` for ``vocab.whole_words(words)`` (case-insensitive, no letter before a match),
    tried only where ``firsts`` (:func:`first_words` of them) finds a first word in ``text[lo:hi].lower()``.
    (Lower case keeps each letter's place unless a letter lower-cases to two, then the window is scanned
    whole; the words hold no 'ss', 'st', 'ff', 'fi', 'fl' that full case folding would match in 'ß' or a ligature.)"""
    low = text[lo:hi].lower()
    if len(low) != hi - lo:
        return pattern.finditer(text, lo, hi)
    if firsts.common and firsts.common not in low:
        return iter(())
    if not firsts.prefix_free:
        return finditer_at(pattern, text, [lo + m.start() for m in firsts.scan.finditer(low)], hi)
    starts = []
    for m in firsts.scan.finditer(low):
        s, e = lo + m.start(), lo + m.end(1)
        if not (s and _letter(text[s - 1])) and not (e < hi and _letter(text[e])):
            starts.append(s)
    return finditer_at(pattern, text, starts, hi)

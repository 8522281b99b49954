"""Vietnamese numbers: one parser for every figure extractor.

Digits use ``.`` for thousands and ``,`` for decimals (``1.120``, ``328.782,902``); number
words (``hai mươi lăm``, ``một trăm linh năm``) and scale words (``triệu``, ``tỷ``,
``nghìn tỷ``) are read from ``data/numbers.yaml``.  Values are :class:`~decimal.Decimal` so
``328.782,902 tỷ`` is exact.  Money is found as spans: single amounts, ranges
(``60.000.000 đồng - 70.000.000 đồng``), pairs (``560 tỷ đồng/690 tỷ đồng``, two amounts), rates
(``80 triệu đồng/người/năm``) and approximations (``khoảng``, ``trên``).
"""
from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Sequence

import regex

from . import vocab
from .models import Money
from .vocab import WS

RULE_FLAGS = regex.V1 | regex.VERBOSE | regex.IGNORECASE


@dataclass(frozen=True)
class NumberWords:
    units: dict[str, int]
    only_after_tens: dict[str, int]
    ten: frozenset[str]
    tens: frozenset[str]
    fillers: frozenset[str]
    scales: dict[str, int]
    single_words: frozenset[str]
    approx: dict[str, str]
    currency: tuple[str, ...]
    examples: tuple[tuple[str, float], ...]

    @property
    def all_words(self) -> set[str]:
        return set(self.units) | set(self.only_after_tens) | self.ten | self.tens | self.fillers | set(self.scales)


@functools.cache
def words() -> NumberWords:
    d = vocab.load("numbers.yaml")
    return NumberWords(d["units"], d["only_after_tens"], frozenset(d["ten"]), frozenset(d["tens"]),
                       frozenset(d["fillers"]), d["scales"], frozenset(d["single_words"]), d["approx"],
                       tuple(d["currency"]), tuple((str(a), b) for a, b in d["examples"]))


from .vocab import alternation


NUMBER_WORDS = words()
# digits, Vietnamese style: 1.120 / 60.000.000 / 328.782,902 / 1,5 / 05 (never part of a date,
# a số hiệu or a dotted section number: 23/7/2012, 59/2012, 1.5)
DIGITS = r"(?<![\p{L}\d.,/])(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?!\d|[.,/]\d)(?!(?!đ(?!\p{L}))\p{L})"  # '50.000đ' is money
SCALE = alternation(NUMBER_WORDS.scales)
WORD = alternation(NUMBER_WORDS.all_words)
WORDNUM = rf"(?<!\p{{L}})(?:{WORD})(?:\s+(?:{WORD}))*(?!\p{{L}})"
# a quantity: digits with optional scale words (1,5 tỷ; 5 nghìn tỷ), or a number in words
QTY = rf"(?:{DIGITS}(?:\s*(?:{SCALE})(?!\p{{L}}))*|{WORDNUM})"
QTY_RE = regex.compile(QTY, RULE_FLAGS)
# after a '/', a number may be the second amount of a pair (560 tỷ đồng/690 tỷ đồng)
QTY_AFTER_SLASH = QTY.replace(r"(?<![\p{L}\d.,/])", r"(?<![\p{L}\d.,])", 1)
# 'đồng' that is not money: a compound noun (đồng chí, đồng bộ, đồng đạo …), a coin of gold or silver, the Indochina piastre
NOT_CURRENCY_AFTER = regex.compile(r"(?<!\s)(?:[^\S\n]+|\n)(?:chí|bộ|thời|ý|nghiệp|bào|đạo|đội|môn|loại|hồ|loạt|tình|thuận|minh|ruộng|lòng|tâm|phục|hương|khởi|sở\s+hữu|thừa\s+kế|vàng|bạc|Đông\s+Dương|tiền\s+(?:kẽm|xu|giấy|cũ))(?!\p{L})", RULE_FLAGS)
# after a number in words, 'đồng bằng' (a delta) and 'đồng tiền' (a currency) are nouns: 'hai đồng bằng', 'hai đồng tiền'
NOT_CURRENCY_AFTER_WORDS = regex.compile(r"(?<!\s)\s+(?:bằng|tiền)(?!\p{L})", RULE_FLAGS)
CURRENCY = rf"(?:{alternation(NUMBER_WORDS.currency)})(?!\p{{L}})"
MONEY_HEAD = regex.compile(rf"(?P<q>{QTY_AFTER_SLASH})\s*(?P<cur>{CURRENCY})", RULE_FLAGS)
FOOT = r"(?:\[\d{1,2}\]|[\u00b9\u00b2\u00b3\u2070-\u2079]+)"
# what may stand before a money head to make it the second half of a pair or a range
PAIR_LEFT = regex.compile(rf"(?P<q>{QTY})(?:\s*(?P<cur>{CURRENCY}))?(?:\s*{FOOT})?\s*/\s*$", RULE_FLAGS)
RANGE_LEFT = regex.compile(rf"(?:(?<!\p{{L}})từ\s+(?:trên\s+)?)?(?P<q>{QTY})(?:\s*(?P<cur>{CURRENCY}))?\s*"
                          rf"(?:-|–|—|(?:đến|tới)(?:\s+(?:dưới|không\s+quá))?)\s*$", RULE_FLAGS)
# '(bằng chữ: Hai triệu đồng)' restates the amount before it in words: not a second amount
IN_WORDS = regex.compile(r"\((?:\s*viết)?\s*bằng\s+chữ\s*:?[^()]*\)", regex.V1 | regex.I)
APPROX_LEFT = regex.compile(rf"(?<!\p{{L}})(?P<a>{alternation(NUMBER_WORDS.approx)})\s+(?:(?:mức\s+)?từ\s+)?$", RULE_FLAGS)
# '/người/tháng': stops at a line break (a portal table's next cell), keeps 'm2', 'báo cáo', 'văn bản', 'giao dịch', 'hộ gia đình'
PER = regex.compile(r"[^\S\n]*/[^\S\n]*(?P<seg>(?!\d)(?:m[2²3³]|\p{L}+)(?:[^\S\n]+(?:\p{Lu}[\p{L}]*|hiệp|tác[^\S\n]+xã|vị|gia[^\S\n]+đình|cáo|bản|dịch|thi))*)", regex.V1)
PERCENT = regex.compile(rf"(?P<q>{QTY})\s*%", RULE_FLAGS)
DIGITS_FULL = regex.compile(r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
SCALED_FULL = regex.compile(rf"(?P<d>(?:\d{{1,3}}(?:\.\d{{3}})+|\d+)(?:,\d+)?)(?P<s>(?:\s*(?:{SCALE}))*)", RULE_FLAGS)
SCALE_RE = regex.compile(SCALE, RULE_FLAGS)
WORD_RUN = regex.compile(r"\S+")
WORDS_FULL = regex.compile(rf"(?:{WORD})(?:\s(?:{WORD}))*", RULE_FLAGS)


def parse_digits(s: str) -> Decimal | None:
    """``1.120`` → 1120, ``328.782,902`` → 328782.902, ``05`` → 5."""
    s = s.strip()
    if not DIGITS_FULL.fullmatch(s):
        return None
    try:
        return Decimal(s.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None


def _small(ws: list[str]) -> int | None:
    """0–99 in words: ba, mười lăm, hai mươi mốt, ba chục."""
    u, extra = NUMBER_WORDS.units, {**NUMBER_WORDS.units, **NUMBER_WORDS.only_after_tens}
    if len(ws) == 1:
        return u.get(ws[0])
    if ws[0] in NUMBER_WORDS.ten:
        if len(ws) == 2 and ws[1] in extra and ws[1] not in ("năm", "không", "mốt"):
            return 10 + extra[ws[1]]
        return None
    if ws[0] in u and u[ws[0]] > 0 and ws[1] in NUMBER_WORDS.tens:
        if len(ws) == 2:
            return u[ws[0]] * 10
        if len(ws) == 3 and ws[2] in extra and ws[2] not in ("năm", "không"):
            return u[ws[0]] * 10 + extra[ws[2]]
    return None


def parse_words(ws: list[str]) -> int | None:
    """A number written in words, or None when the words do not form one."""
    ws = [w.lower() for w in ws]
    if not ws:
        return None
    if ws == ["mười"]:
        return 10
    scaled = [(NUMBER_WORDS.scales[w], i) for i, w in enumerate(ws) if w in NUMBER_WORDS.scales]
    if not scaled:
        return _small(ws)
    scale, i = max(scaled)
    left, right = ws[:i], ws[i + 1:]
    lv = parse_words(left)
    if lv is None or lv == 0:
        return None
    if not right:
        return lv * scale
    if right[0] in NUMBER_WORDS.fillers:
        rv = _small(right[1:]) if len(right) == 2 else None
        return lv * scale + rv if rv is not None and rv < 10 else None
    if len(right) == 1 and right[0] in NUMBER_WORDS.units and scale >= 100:
        return lv * scale + NUMBER_WORDS.units[right[0]] * scale // 10  # một trăm hai = 120
    rv = parse_words(right)
    return lv * scale + rv if rv is not None and rv < scale else None


def parse_number(s: str) -> Decimal | None:
    """Digits with optional scale words, or a number in words: the value, or None."""
    s = WS.sub(" ", s.strip())
    m = SCALED_FULL.fullmatch(s)
    if m:
        value = parse_digits(m["d"])
        for sc in SCALE_RE.findall(m["s"]):
            value *= NUMBER_WORDS.scales[WS.sub(" ", sc.lower())]
        return value
    if not WORDS_FULL.fullmatch(s):
        return None
    ws = s.split()
    if len(ws) == 1 and ws[0].lower() not in NUMBER_WORDS.single_words:
        return None
    v = parse_words(ws)
    return Decimal(v) if v is not None else None


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int
    end: int
    surface: str
    value: Decimal
    scale: int = 1          # the product of the scale words written after digits (1,5 tỷ → 10⁹)

    @property
    def has_scale(self) -> bool:
        return self.scale != 1


# the most words one number takes ('chín trăm chín mươi chín nghìn … tỷ' is under 30): a longer run of
# number words ('hai mươi hai mươi …') is tried from this prefix down, so each match costs the same
MAX_NUMBER_WORDS = 32


def _quantity(m_start: int, surface: str) -> Quantity | None:
    """The longest prefix of a QTY match that parses (a word run may end in ordinary words)."""
    ws = list(itertools.islice(WORD_RUN.finditer(surface), MAX_NUMBER_WORDS))
    for k in range(len(ws), 0, -1):
        sub = surface[: ws[k - 1].end()]
        v = parse_number(sub)
        if v is not None:
            scale = 1
            if sub[0].isdigit():
                for sc in SCALE_RE.findall(sub):
                    scale *= NUMBER_WORDS.scales[WS.sub(" ", sc.lower())]
            return Quantity(m_start, m_start + len(sub), sub, v, scale)
    return None


# Where a number, a currency word or a staff noun may stand, found by the stdlib engine, which scans
# plain alternations several times faster than the full patterns can; those are then tried only there.
CURRENCY_WORD = re.compile(r"(?<![^\W\d_])(?:" + alternation(NUMBER_WORDS.currency) + r")(?!\w)")   # '50.000đ' too


@functools.lru_cache(maxsize=4)
def lowered(text: str) -> str | None:
    """``text.lower()`` when lowering keeps every offset (no letter lower-cases to two), else None; kept
    for the last few texts, since every figure stage scans the same document's lower case."""
    low = text.lower()
    return low if len(low) == len(text) else None


def plain_starts(text: str, lower: re.Pattern, any_case: re.Pattern):
    """Where a pattern may start, by a plain scan: ``lower`` (case-sensitive, lower-case words) over the
    lower-cased text when lowering keeps every offset (several times faster than ``re.I``), else
    ``any_case`` (the same pattern with ``re.I``) over the text itself."""
    low = lowered(text)
    return lower.finditer(low) if low is not None else any_case.finditer(text)


# what a QTY ends with (a digit, a number or scale word), for anchored(after=): searched where the
# whitespace before an anchor begins
QTY_END = re.compile(r"(?:\d|" + WORD + r")\Z", re.I)


def ends_before(end: re.Pattern, text: str, pos: int) -> bool:
    """Whether the text before ``pos``, less the whitespace right before it, ends with ``end`` (a stdlib
    pattern ending in ``\\Z`` whose matches are at most 8 characters long: ``QTY_END``)."""
    k = pos
    while k > 0 and text[k - 1].isspace():
        k -= 1
    return end.search(text, max(0, k - 8), k) is not None


def anchored(pattern: regex.Pattern, anchors, text: str, reach: int = 80, after: re.Pattern | None = None):
    """The matches of ``pattern`` that end where an anchor (a word ``pattern`` must end with) ends,
    in order: ``pattern`` is only tried in the ``reach`` characters before each anchor.

    ``anchors``: a stdlib pattern, or a pair (lower-case, any-case) of them scanned by :func:`plain_starts`;
    when it has a group named ``anchor``, that group is the anchor and the rest of its match a condition
    (``\\s(?P<anchor>…)``: the whitespace ``pattern`` needs before the word, which, unlike a lookbehind,
    keeps the stdlib engine's fast scan for the word's first letters).  ``after``: a stdlib pattern ending
    in ``\\Z`` (``QTY_END``) that the text before an anchor and its whitespace ends with whenever
    ``pattern`` can end at the anchor; the anchors after any other word cost nothing."""
    scan = plain_starts(text, *anchors) if isinstance(anchors, tuple) else anchors.finditer(text)
    g = "anchor" if "anchor" in (anchors[0] if isinstance(anchors, tuple) else anchors).groupindex else 0
    last = 0
    for a in scan:
        start, end = a.span(g)
        if after is not None and not ends_before(after, text, start):
            continue
        lo = max(last, start - reach)
        for m in pattern.finditer(text, lo, end):
            if m.end() == end:
                yield m
                last = m.end()
                break


PLAIN_DIGITS = re.compile(r"[\d.,]+")
# find_quantities' own scans. Digits as DIGITS reads them (its look-behind put after the first digit, where the
# stdlib engine scans fastest); group 'x' is set where QTY_RE must decide: a letter right after them ('50.000đ'),
# or after spaces a scale word or another space.
DIGIT_SCAN = re.compile(r"\d(?<![\w.,/]\d)(?:\d{0,2}(?:\.\d{3})+|\d*)(?:,\d+)?(?!\d|[.,/]\d)"
                        r"(?P<x>(?=[^\W\d_]|[ \t\n]*(?:[^\S \t\n]|" + SCALE + r")))?", re.I)
# Number words a number can begin with (parse_words reads none that begins with 'không', 'tư', 'mươi', 'linh'
# or a scale word): those read alone ('hai', 'mười'), and 'một', 'năm', 'bẩy', which begin a number only
# before a ten or a scale word ('năm mươi', 'một trăm'). One scan per word: a literal first is what the
# stdlib engine finds fastest (the look-behind after the word; together in one alternation they take 3x longer).
_FIRST = [w for w, v in NUMBER_WORDS.units.items() if v > 0] + sorted(NUMBER_WORDS.ten)
_WORD_SCANS = [re.escape(w) + r"(?<!\w" + re.escape(w) + ")" + (
    r"(?!\w)" if w in NUMBER_WORDS.single_words else r"(?=\s+(?:" + alternation(NUMBER_WORDS.tens | set(NUMBER_WORDS.scales)) + "))")
    for w in _FIRST]
WORD_STARTS = [re.compile(p, re.I) for p in _WORD_SCANS]
WORD_STARTS_LOWER = [re.compile(p) for p in _WORD_SCANS]    # over the lower-cased text: see plain_starts


def _word_starts(text: str) -> list[int]:
    return sorted(m.start() for low, any_case in zip(WORD_STARTS_LOWER, WORD_STARTS)
                  for m in plain_starts(text, low, any_case))


def find_quantities(text: str, skip: Sequence[tuple[int, int]] = (), digits: re.Pattern = DIGIT_SCAN) -> list[Quantity]:
    """Every number in the text (digits or words), with its span; dates and số hiệu are not numbers.
    ``skip``: sorted, disjoint spans (already read as something else) where no number is looked for.
    ``digits``: DIGIT_SCAN, or a narrower scan that keeps only some of its matches (as they are, with 'x').
    Digits and words are found apart: no number in digits holds a word a number begins with, and no
    number in words holds a digit."""
    out = []
    k = 0
    n = len(skip)
    for c in digits.finditer(text):
        s = c.start()
        while k < n and skip[k][1] <= s:
            k += 1
        if k < n and skip[k][0] <= s:
            continue
        if c.group("x") is None:   # most numbers: the digits are the whole quantity
            surface = c.group()
            value = _digits_value(surface)
            if value is not None:
                out.append(Quantity(s, c.end(), surface, value))
        elif (q := _quantity_at(text, s)) is not None:
            out.append(q)
    words = []
    end = 0
    k = 0
    for s in _word_starts(text):
        if s < end:
            continue
        while k < n and skip[k][1] <= s:
            k += 1
        if k < n and skip[k][0] <= s:
            continue
        if (q := _quantity_at(text, s)) is not None:
            words.append(q)
            end = q.end
    return sorted(out + words, key=_start) if words else out


def _start(q: Quantity) -> int:
    return q.start


def _quantity_at(text: str, s: int) -> Quantity | None:
    m = QTY_RE.match(text, s)
    if m is None:
        return None
    surface = m.group()
    if PLAIN_DIGITS.fullmatch(surface):   # digits without a scale word: nothing else to read
        value = parse_digits(surface)
        return Quantity(s, m.end(), surface, value) if value is not None else None
    return _quantity(s, surface)


def _digits_value(s: str) -> Decimal | None:
    """parse_digits of a string DIGITS matched."""
    try:
        return Decimal(s.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None


def _vnd(q: Decimal) -> int:
    return int(q.to_integral_value())


def _left_value(text: str, m: regex.Match, scale_from: Quantity) -> Decimal | None:
    q = _quantity(0, m["q"])
    if q is None or q.surface != m["q"].rstrip():
        return None
    if not q.has_scale and not m["cur"]:
        # '10 - 15 triệu đồng', '12.375,3/10.200 triệu đồng': the first number shares the scale
        return q.value * scale_from.scale
    return q.value


# separators: Vietnamese '1.500.000' / '1,5 tỷ', English '1,500,000' / '1.5 tỷ' (the text's own convention decides)
SEPARATED = regex.compile(r"\d[\d.,]*\d")
VI_EVIDENCE = regex.compile(rf"(?<![\d.,])\d{{1,3}}(?:\.\d{{3}}){{2,}}(?![\d.,]\d)|(?<![\d.,])\d+,\d{{1,2}}(?!\d)\s*(?:{SCALE}|%)", RULE_FLAGS)
EN_EVIDENCE = regex.compile(rf"(?<![\d.,])\d{{1,3}}(?:,\d{{3}}){{2,}}(?![\d.,]\d)|(?<![\d.,])\d+\.\d{{1,2}}(?!\d)\s*(?:{SCALE}|%)", RULE_FLAGS)
# '15.5 triệu đồng': one or two digits after a dot and before a scale word cannot be Vietnamese thousands
EN_DECIMAL = regex.compile(rf"(?<![\d.,])\d+\.\d{{1,2}}(?!\d)(?=\s*(?:{SCALE})(?!\p{{L}}))", RULE_FLAGS)
SWAP = str.maketrans(".,", ",.")


def vietnamese_separators(text: str) -> str:
    """``text`` with every number's separators written the Vietnamese way (same length, same offsets): all of
    them swapped when the text writes English numbers ('18,500,000', '86.5 triệu') more often than Vietnamese
    ones ('18.500.000', '1,5 tỷ'), else only the English decimals before a scale word ('15.5 triệu')."""
    if not any(c in text for c in ".,"):
        return text
    if len(EN_EVIDENCE.findall(text)) > len(VI_EVIDENCE.findall(text)):
        return SEPARATED.sub(lambda m: m.group().translate(SWAP), text)
    return EN_DECIMAL.sub(lambda m: m.group().translate(SWAP), text) if "." in text else text


def find_money(text: str) -> list[Money]:
    """Every amount of money in đồng, reading ranges and 'A/B' pairs as written (in the text's own convention
    for separators, see :func:`vietnamese_separators`)."""
    read = vietnamese_separators(text)
    found = _find_money(read)
    if "phạt" in read:
        found = sorted(found + _bare_fines(read, found), key=lambda m: m.start)
    found = [_bare_upper(read, m) for m in found]
    return found if read is text else [replace(m, surface=text[m.start:m.end]) for m in found]


# 'phạt tiền từ 300.000 đến 600.000': a fine's amounts written without 'đồng' (thousands or a scale word needed)
BARE = rf"(?:(?<![\p{{L}}\d.,/])\d{{1,3}}(?:\.\d{{3}})+(?![\d.,]\d)(?:\s*(?:{SCALE})(?!\p{{L}}))*|{DIGITS}\s*(?:{SCALE})(?!\p{{L}})(?:\s*(?:{SCALE})(?!\p{{L}}))*)"
BARE_FINE = regex.compile(rf"(?<!\p{{L}})phạt\s+tiền\s+(?:(?:ở\s+)?mức\s+)?(?P<m>(?:từ\s+)?(?P<a>{BARE})(?:\s*(?:-|–|đến|tới)\s*(?P<b>{BARE}))?)"
                          rf"(?!\s*(?:{CURRENCY}|%|\p{{L}}*\s*/))", RULE_FLAGS)


# 'từ 2.000.000 đồng đến 3.000.000': the upper end of a range written without its currency
BARE_UPPER = regex.compile(r"[^\S\n]*(?:đến|tới|-|–)[^\S\n]*(?P<b>\d{1,3}(?:\.\d{3})+)(?![\d.,]\d)(?![^\S\n]*(?:[%/]|\p{L}+[^\S\n]*/))", RULE_FLAGS)


def _bare_upper(text: str, m: Money) -> Money:
    if m.min_vnd != m.max_vnd or m.per or not regex.search(r"(?<!\p{L})từ\s+$", text[max(0, m.start - 8):m.start], regex.V1 | regex.I):
        return m
    b = BARE_UPPER.match(text, m.end)
    if not b:
        return m
    hi = int(b["b"].replace(".", ""))
    if not m.min_vnd < hi <= 20 * m.min_vnd:
        return m
    return replace(m, end=b.end(), surface=text[m.start:b.end()], max_vnd=hi)


def _bare_fines(text: str, found: list[Money]) -> list[Money]:
    out = []
    for m in BARE_FINE.finditer(text):
        if any(f.start < m.end("m") and m.start("m") < f.end for f in found):
            continue
        a = _quantity(m.start("a"), m["a"])
        b = _quantity(m.start("b"), m["b"]) if m["b"] else a
        if a is None or b is None or a.end != m.end("a"):
            continue
        lo = a.value * b.scale if b is not a and not a.has_scale and b.has_scale else a.value
        if lo <= b.value:
            out.append(Money(m.start("m"), m.end("m"), m["m"], _vnd(lo), _vnd(b.value)))
    return out


def _find_money(text: str) -> list[Money]:
    heads = []
    for m in anchored(MONEY_HEAD, CURRENCY_WORD, text):
        q = _quantity(m.start("q"), m["q"])
        if q is None or q.end != m.end("q") or NOT_CURRENCY_AFTER.match(text, m.end()):
            continue
        if not any(c.isdigit() for c in m["q"]) and NOT_CURRENCY_AFTER_WORDS.match(text, m.end()):
            continue
        heads.append((q, m))
    words = [(w.start(), w.end()) for w in IN_WORDS.finditer(text)] if "chữ" in text else []
    out: list[Money] = []
    for q, m in heads:
        start, end = q.start, m.end()
        if any(a <= start < b for a, b in words):
            continue
        lo = hi = q.value
        pair = False
        before = text[max(0, start - 80):start]
        pm = PAIR_LEFT.search(before)
        rm = None if pm else RANGE_LEFT.search(before)
        if not pm and before.endswith("/"):
            continue  # part of a date or a số hiệu, not money
        if pm:
            left = _left_value(text, pm, q)
            if left is not None:
                pair = True
                if out and out[-1].end > start - len(before) + pm.start():
                    out[-1] = replace(out[-1], pair=True)
                else:
                    s = start - len(before) + pm.start()
                    out.append(Money(s, s + len(pm["q"]), pm["q"], _vnd(left), _vnd(left), pair=True))
        elif rm:
            left = _left_value(text, rm, q)
            if left is not None and left <= q.value:
                lo = left
                start = start - len(before) + rm.start()
                if out and out[-1].end > start:
                    out.pop()
        if out and not any(c.isdigit() for c in m["q"]) and _restated(text[out[-1].end:start], out[-1].min_vnd == _vnd(lo)):
            continue  # '15.000.000 VNĐ (Mười lăm triệu đồng Việt Nam)': the amount again in words
        am = APPROX_LEFT.search(text[max(0, start - 30):start])
        approx = NUMBER_WORDS.approx[WS.sub(" ", am["a"].lower())] if am else None
        per = []
        while pm2 := PER.match(text, end):
            per.append(pm2["seg"])
            end = pm2.end()
        out.append(Money(start, end, text[start:end], _vnd(lo), _vnd(hi), "/".join(per) or None, approx, pair))
    return out





def _restated(gap: str, same_value: bool) -> bool:
    """Whether an amount in words after ``gap`` restates the amount before it: right after its '(' with the same
    value, or after number words the reading split off ('8.866 tỷ đồng (Tám nghìn, tám trăm sáu mươi sáu tỷ đồng)')."""
    m = regex.fullmatch(r"\s*\(\s*(?P<w>[\p{L}\s,]*?)[\s,]*", gap)
    if not m:
        return False
    ws = m["w"].lower().split()
    return same_value if not ws else all(w in NUMBER_WORDS.all_words for w in ws)


# searched backwards from a '%': the last character no percentage's number can hold (its digits, words, spaces)
NOT_IN_PERCENT = regex.compile(r"(?r)[^\w\s.,]", regex.V1)


def find_percents(text: str) -> list[Quantity]:
    """Every percentage: PERCENT's matches, looked for only in the run of digits, words and spaces before each
    '%' (a match ends with the first '%' after its start, and holds no other character)."""
    out = []
    last = 0
    a = text.find("%")
    while a >= 0:
        before = NOT_IN_PERCENT.search(text, last, a)
        m = PERCENT.search(text, before.end() if before else last, a + 1)
        last = a + 1
        if m is not None:
            q = _quantity(m.start("q"), m["q"])
            if q is not None and q.end == m.end("q"):
                out.append(Quantity(q.start, m.end(), text[q.start:m.end()], q.value, q.scale))
        a = text.find("%", last)
    return out

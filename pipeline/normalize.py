"""Stage 2: normalize the reader's text into the text the extractors see.

Normalization is a list of small named steps.  Each step takes a :class:`Mapped` text and
returns a new one; every character of the result keeps the offset of the raw character it came
from (``origin``), so any span found later leads back to the source file, page and offset.
Diacritics are kept; nothing here folds accents.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np
import regex

from extractors import vocab

RULE_FLAGS = regex.V1


@dataclass(frozen=True)
class Mapped:
    """Text plus, for each character, its offset in the raw text (one extra entry for the end)."""

    text: str
    origin: np.ndarray  # int64, len(text) + 1

    @classmethod
    def identity(cls, text: str) -> "Mapped":
        return cls(text, np.arange(len(text) + 1, dtype=np.int64))

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            o = int(self.origin[start])
            return o, o
        return int(self.origin[start]), int(self.origin[end - 1]) + 1


Edit = tuple[int, int, str]  # replace text[start:end] by str


def apply_edits(m: Mapped, edits: Iterable[Edit]) -> Mapped:
    """Apply sorted, non-overlapping edits; inserted characters map to the replaced ones."""
    edits = list(edits)
    if not edits:
        return m
    text, origin = m.text, m.origin
    parts: list[str] = []
    oparts: list[np.ndarray] = []
    pos = 0
    for s, e, rep in edits:
        if s < pos:  # overlapping edit: skip it rather than corrupt the map
            continue
        parts.append(text[pos:s])
        oparts.append(origin[pos:s])
        if rep:
            if e > s:
                idx = s + np.minimum(np.arange(len(rep)), e - s - 1)
            else:
                idx = np.full(len(rep), s)
            parts.append(rep)
            oparts.append(origin[idx])
        pos = e
    parts.append(text[pos:])
    oparts.append(origin[pos:])
    return Mapped("".join(parts), np.concatenate(oparts))


def sub(pattern: regex.Pattern | re.Pattern, repl: str | Callable[[regex.Match], str], m: Mapped,
        matches: Iterable[regex.Match] | None = None) -> Mapped:
    """regex.sub that keeps the span map.  A match replaced by its own text is no edit (its characters
    would map to the same offsets): '\\n\\n' kept as '\\n\\n' costs nothing.  ``matches``: the matches
    to replace when the caller found them more cheaply than ``pattern.finditer`` (see ``_tried_at``)."""
    if callable(repl):
        fn = repl
    elif "\\" in repl:
        fn = lambda mt: mt.expand(repl)   # noqa: E731
    else:   # a plain replacement: Match.expand would parse it again at every match
        fn = lambda mt: repl   # noqa: E731
    found = pattern.finditer(m.text) if matches is None else matches
    return apply_edits(m, [(mt.start(), mt.end(), r) for mt in found if (r := fn(mt)) != mt.group()])


def _tried_at(pattern: regex.Pattern, text: str, places: Iterable[int]) -> list[regex.Match]:
    """The matches ``pattern.finditer(text)`` gives, with ``pattern`` tried only at ``places`` (ascending).
    Exact when every match of ``pattern`` is non-empty and starts at one of them: the positions skipped
    could start no match, and the match found at a place is the one finditer finds there (``match``
    at a position sees the text before it, so lookbehinds and ``^`` behave as in the whole scan)."""
    out, last = [], 0
    for p in places:
        if p >= last and (mt := pattern.match(text, p)):
            last = mt.end()
            out.append(mt)
    return out


# --- steps ---------------------------------------------------------------------------------

# character classes of plain code points: the standard engine scans them ~3x faster than `regex`
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
_NEWLINES = regex.compile(r"\r\n?|\u2028|\u2029", RULE_FLAGS)
_NBSP = regex.compile(r"[\u00a0\u2007\u202f\t]", RULE_FLAGS)
_COMBINING = regex.compile(r"\P{M}\p{M}+", RULE_FLAGS)
_MARK = regex.compile(r"\p{M}", RULE_FLAGS)   # most texts hold no combining mark: one cheap scan decides
_LOOKALIKE = {"\u00d0": "\u0110", "\ufffe": "-", "\u00ad": "", "\u2044": "/", "\u2215": "/"}  # Eth → Đ; pdfium hyphen; OCR fraction slash
_LOOKALIKE_RE = regex.compile("[" + "".join(_LOOKALIKE) + "]", RULE_FLAGS)


def _bmp_class(cls: str) -> str:
    """The code points of the Basic Multilingual Plane in ``regex`` class ``cls`` as plain ranges for
    ``re``, and every code point beyond it: a superset of ``cls`` whatever Unicode version either engine has."""
    bmp = "".join(map(chr, range(0x10000)))
    ranges = "".join(f"\\u{mt.start():04x}-\\u{mt.end() - 1:04x}" for mt in regex.finditer(f"{cls}+", bmp, RULE_FLAGS))
    return ranges + "\\U00010000-\\U0010ffff"


# every character one of the steps in RARE_STEPS acts on: no step puts one into a text, so for a text
# without any (all but 1 in 70 of the archive) those steps would change nothing and are not run
_RARE = re.compile("[" + "".join(_LOOKALIKE) + "\\r\\u2028\\u2029\\f\\u00a0\\u2007\\u202f\\t"
                   + _CONTROL.pattern[1:-1] + _bmp_class(r"\p{M}") + "]")


def unicode_nfc(m: Mapped) -> Mapped:
    """NFC, one base character and its marks at a time, so the map stays exact."""
    if _MARK.search(m.text):
        m = sub(_COMBINING, lambda mt: unicodedata.normalize("NFC", mt.group()), m)
    return sub(_LOOKALIKE_RE, lambda mt: _LOOKALIKE[mt.group()], m)


def line_ends(m: Mapped) -> Mapped:
    """CR LF / CR → LF; control and zero-width characters removed (form feeds kept as page breaks)."""
    m = sub(_NEWLINES, "\n", m)
    return sub(_CONTROL, "", m)


_MD_EMPH = regex.compile(r"\*+|^#{1,6}[ \t]+|^[ \t]*\|[ \t]*$", RULE_FLAGS | regex.MULTILINE)
# where its line branches can start, found by literal scans: a '#' at a line start; the start of a
# line whose last non-blank character is a lone '|' (the line is checked by _MD_EMPH itself)
_STARS = regex.compile(r"\*+", RULE_FLAGS)
_HASH_LINE = re.compile(r"\n#")
_PIPE_END = re.compile(r"\|[ \t]*(?:\n|\Z)")


def markdown_marks(m: Mapped) -> Mapped:
    """Markdown emphasis (``**``), heading marks and empty table-cell lines of text dumps."""
    text = m.text
    starts = [h.start() + 1 for h in _HASH_LINE.finditer(text)]
    starts += [text.rfind("\n", 0, h.start()) + 1 for h in _PIPE_END.finditer(text)]
    if text.startswith("#"):
        starts.append(0)
    # the line branches match no '*' and the star branch no line start: the two sets of matches are
    # apart, and every match is removed (none is empty)
    edits = [(*mt.span(), "") for mt in _STARS.finditer(text)]
    for mt in _tried_at(_MD_EMPH, text, sorted(set(starts))):
        bisect.insort(edits, (*mt.span(), ""))
    return apply_edits(m, edits)


# every branch starts after a line end or form feed: the first lookbehind rejects other positions at once
_PAGE_NUMBER = regex.compile(
    r"(?<=[\n\f])(?:(?:(?<=\f)|(?<=\n[ \t]*\n))[ \t]*(?:-[ \t]*)?(?:Trang[ \t]+)?\d{1,3}(?:[ \t]*-)?[ \t]*(?=\n[ \t]*\n|\n?\f|\n?\Z)"
    r"|(?<=\f)[ \t]*\d{1,3}[ \t]*\n)", RULE_FLAGS)


# where a page number can start: after a blank line or a form feed, before a number ('\\d' of `regex`
# in BMP, anything beyond); two scans, each with a literal start the engine searches fast
_NUMBER_AHEAD = r"(?=[ \t]*(?:-[ \t]*)?(?:Trang[ \t]+)?[" + _bmp_class(r"\d") + "])"
_PAGE_NUMBER_AFTER_BLANK = re.compile(r"\n[ \t]*\n" + _NUMBER_AHEAD)
_PAGE_NUMBER_AFTER_BREAK = re.compile(r"\f" + _NUMBER_AHEAD)


def page_numbers(m: Mapped) -> Mapped:
    """Page numbers: a lone number at the top of a page, or alone between blank lines."""
    text = m.text
    places = [h.end() for h in _PAGE_NUMBER_AFTER_BLANK.finditer(text)]
    if "\f" in text:
        places = sorted(places + [h.end() for h in _PAGE_NUMBER_AFTER_BREAK.finditer(text)])
    return sub(_PAGE_NUMBER, "", m, _tried_at(_PAGE_NUMBER, text, places))


_ESIGN = regex.compile(
    r"^[ \t]*\d{2}\.\d{2}\.\d{4}[ \t]+\d{2}:\d{2}(?::\d{2})?[ \t]*(?:\n[ \t]*[+-]\d{2}:\d{2})?[ \t]*$"
    r"|^[ \t]*(?:Ký bởi|Thời gian ký|Ngày ký|Signed by|Signature Not Verified)\b.*$", RULE_FLAGS | regex.MULTILINE | regex.IGNORECASE)


def esign_stamps(m: Mapped) -> Mapped:
    """E-signature stamps ('18.11.2024 07:25:14 +07:00', 'Ký bởi: …'): their times are not the issue date."""
    return sub(_ESIGN, "", m)


def running_headers(m: Mapped) -> Mapped:
    """A first line repeated at the top of at least three pages (and half of them) is a running header."""
    pages = m.text.split("\f")
    if len(pages) < 3:
        return m
    firsts: dict[str, list[int]] = {}
    pos = 0
    for page in pages:
        mt = regex.match(r"\s*([^\n]*\S)[ \t]*\n", page)
        if mt:
            key = regex.sub(r"\d+", "#", mt.group(1).strip())
            firsts.setdefault(key, []).append(pos + mt.start(1))
        pos += len(page) + 1
    edits = []
    for key, starts in firsts.items():
        if len(starts) >= 3 and len(starts) * 2 >= len(pages) and len(key) > 3:
            for s in starts:
                e = m.text.index("\n", s)
                edits.append((s, e, ""))
    return apply_edits(m, sorted(edits))


# footnote markers glued to the end of a số hiệu: QH151 → QH15¹, NĐ-CP2 → NĐ-CP², BGTVT3 → BGTVT³


def _glued_footnote_re() -> regex.Pattern:
    """The marker after a code, tried only inside a symbol run (see ``footnote_markers``): the
    lookbehinds are of bounded length, so the pattern is linear on any input."""
    codes = {c for d in vocab.doc_types() for c in d.codes} | {"CP", "TTg", "TW", "TU"}
    for i in vocab.issuers():
        p = i.matcher.pattern
        if regex.fullmatch(r"\(\?:[\p{L}&]+\)", p):
            codes.add(p[3:-1])
    alt = vocab.alternation(codes)   # inside a lookbehind: any one code matching is enough, order aside
    return regex.compile(
        rf"(?:(?<=(?:UBTV)?QH1\d)|(?<=[/\-](?:{alt})))(\d{{1,2}})(?=[\s,;.:)]|\Z)",
        RULE_FLAGS | regex.IGNORECASE)


# a run of symbol characters after 'digit /': where a số hiệu and its glued marker can be.  Possessive,
# so each character is read once (the old variable-length lookbehind re-read the run at every position)
_SYMBOL_RUN = regex.compile(r"\d[ \t]?/[\p{L}\d/&.\-]*+", RULE_FLAGS)
_GLUED = _glued_footnote_re()


def footnote_markers(m: Mapped) -> Mapped:
    text, edits = m.text, []
    for run in _SYMBOL_RUN.finditer(text):
        first = text.index("/", run.start()) + 1
        # endpos one past the run: the lookahead sees the character that ends it
        for mt in _GLUED.finditer(text, first, min(run.end() + 1, len(text))):
            edits.append((mt.start(), mt.end(), mt.group(1).translate(vocab.SUPERSCRIPT_DIGITS)))
    return apply_edits(m, edits)


# a số hiệu broken by a line end: 'TT-\nBTP', '6138/UBND-\nKGVX', '59/2012/\nNĐ-CP', '1050\n/QĐ-SCT'
_SPLIT_SYMBOL = regex.compile(
    r"(?<=\d[ \t]?/[\p{L}\d/&.]*(?:[\p{L}\d&.]-|/))[ \t]*(?:\n[ \t]*)+(?=\p{Lu})"
    r"|(?<=\d)[ \t]*(?:\n[ \t]*)+(?=/(?:\d{4}/)?\p{Lu})", RULE_FLAGS)
# a word hyphenated across a line end: 'thực hi-\nện' (rare in Vietnamese, common in OCR)
_SPLIT_WORD = regex.compile(r"(?<=\p{Ll})-[ \t]*\n[ \t]*(?=\p{Ll})", RULE_FLAGS)


# where the breaks start, by literal scans: after a '-' or '/' at a line end; after the digit that
# ends the blank run before a '/' line (found from the '/' back)
_HYPHEN_END = re.compile(r"-[ \t]*\n")
_SLASH_END = re.compile(r"/[ \t]*\n")
_SLASH_LINE = re.compile(r"\n[ \t]*/")


def _blank_run_start(text: str, i: int) -> int:
    while i and text[i - 1] in " \t\n":
        i -= 1
    return i


def split_symbols(m: Mapped) -> Mapped:
    text = m.text
    places = [h.start() + 1 for h in _HYPHEN_END.finditer(text)] + [h.start() + 1 for h in _SLASH_END.finditer(text)]
    places += [_blank_run_start(text, h.start()) for h in _SLASH_LINE.finditer(text)]
    m = sub(_SPLIT_SYMBOL, "", m, _tried_at(_SPLIT_SYMBOL, text, sorted(set(places))))
    return sub(_SPLIT_WORD, "", m, _tried_at(_SPLIT_WORD, m.text, (h.start() for h in _HYPHEN_END.finditer(m.text))))


def web_furniture(m: Mapped) -> Mapped:
    """Portal furniture around the document body (see extractors/data/furniture.yaml)."""
    text = m.text
    f = vocab.furniture()
    edits: list[Edit] = []
    # the end: first end marker, plus the title lines just above it
    end = len(text)
    for pat, _ in f["end_markers"]:
        mt = pat.search(text)
        if mt and mt.start() < end:
            end = mt.start()
    if end < len(text):
        while True:
            prev_nl = text.rfind("\n", 0, max(0, end - 1))
            line = text[prev_nl + 1:end].strip()
            if line and any(p.search(line) for p, _ in f["end_title"]):
                end = prev_nl + 1
                continue
            break
    # the start: the header block above the national motto, if portal markers stand before it
    start = 0
    motto = vocab.MOTTO.search(text[:end])
    if motto and any(p.search(text[:motto.start()]) for p, _ in f["site_markers"]):
        start = text.rfind("\n", 0, motto.start()) + 1
        # walk back over the header block: upper-case lines, rules, table pipes
        while start > 0:
            prev = text.rfind("\n", 0, start - 1) + 1
            line = text[prev:start].strip()
            letters = regex.sub(r"[^\p{L}]", "", line)
            if line and letters and not letters.isupper():
                break
            start = prev
    if start:
        edits.append((0, start, ""))
    for pat, _ in f["lines"]:
        for mt in pat.finditer(text, start, end):
            edits.append((mt.start(), mt.end(), ""))
    if end < len(text):
        edits.append((end, len(text), ""))
    edits.sort()
    return apply_edits(m, edits)


_HSPACE = re.compile(r"  +")
# spaces at a line edge: a whole run of spaces before a line end or after one
_LINE_END_SPACE = re.compile(r" \n")
_LINE_START_SPACES = re.compile(r"\n +")
# runs of blank lines, except the one blank line they become ('\\n\\n' kept is no edit)
_BLANKS = re.compile(r"\n(?:\n(?:[ \t]*\n)+|[ \t]+\n(?:[ \t]*\n)*)")


def spaces(m: Mapped) -> Mapped:
    """Tabs and no-break spaces → space."""
    return sub(_NBSP, " ", m)


def _space_run_start(text: str, i: int) -> int:
    while i and text[i - 1] == " ":
        i -= 1
    return i


def whitespace(m: Mapped) -> Mapped:
    """Runs of spaces → one; no spaces at line edges; runs of blank lines → one blank line."""
    if "  " in m.text:   # a plain search, twice as fast as the pattern's scan; few texts hold a run
        m = sub(_HSPACE, " ", m)
    text = m.text
    edges = {(h.start() + 1, h.end()) for h in _LINE_START_SPACES.finditer(text)}
    edges.update((_space_run_start(text, h.start()), h.start() + 1) for h in _LINE_END_SPACE.finditer(text))
    m = apply_edits(m, [(s, e, "") for s, e in sorted(edges)])
    return sub(_BLANKS, "\n\n", m)


_PAGE_BREAK = regex.compile(r"[ \t]*\f[ \t]*", RULE_FLAGS)


def page_breaks(m: Mapped) -> Mapped:
    """Form feeds (page breaks) become line ends: pages are kept in the span map, not the text."""
    return sub(_PAGE_BREAK, "\n", m)


def strip_ends(m: Mapped) -> Mapped:
    text = m.text
    s = len(text) - len(text.lstrip())
    e = len(text.rstrip())
    edits = []
    if s:
        edits.append((0, s, ""))
    if e < len(text) and e >= s:
        edits.append((e, len(text), ""))
    return apply_edits(m, edits)


STEPS_ALL = (line_ends, unicode_nfc, esign_stamps, running_headers, page_numbers, footnote_markers,
             split_symbols, page_breaks, spaces, whitespace, strip_ends, unicode_nfc)
STEPS_WEB = (line_ends, unicode_nfc, markdown_marks, web_furniture, esign_stamps, page_numbers, footnote_markers,
             split_symbols, page_breaks, spaces, whitespace, strip_ends, unicode_nfc)
# the steps that act only on characters of _RARE (running_headers: on pages, split by form feeds)
RARE_STEPS = frozenset({line_ends, unicode_nfc, running_headers, page_breaks, spaces})
# unicode_nfc again last: a removal can bring a base letter and a combining mark together ('C*\u0301' → 'C\u0301')


def steps_for(fmt: str) -> tuple[Callable[[Mapped], Mapped], ...]:
    return STEPS_WEB if fmt in ("html", "txt", "md") else STEPS_ALL


@dataclass(frozen=True)
class Normalized:
    text: str
    origin: np.ndarray
    page_starts: tuple[int, ...]  # raw offsets where each page starts (page 1 at index 0)

    def page_of(self, start: int) -> int:
        raw = int(self.origin[min(start, len(self.origin) - 1)])
        return bisect.bisect_right(self.page_starts, raw)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return Mapped(self.text, self.origin).raw_span(start, end)

    def page_bounds(self, page: int) -> tuple[int, int]:
        """Where page ``page`` (0-based) begins and ends in the normalized text."""
        lo = int(np.searchsorted(self.origin[:-1], self.page_starts[page], side="left"))
        nxt = self.page_starts[page + 1] if page + 1 < len(self.page_starts) else None
        hi = len(self.text) if nxt is None else int(np.searchsorted(self.origin[:-1], nxt, side="left"))
        return lo, hi


def normalize(raw_text: str, fmt: str = "txt", page_starts: tuple[int, ...] = (0,)) -> Normalized:
    m = Mapped.identity(raw_text)
    rare = _RARE.search(raw_text) is not None
    for step in steps_for(fmt):
        if rare or step not in RARE_STEPS:
            m = step(m)
    return Normalized(m.text, m.origin, page_starts)

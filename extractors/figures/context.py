"""What the figure kinds share: their vocabulary (figures.yaml), the clause, sentence, unit and level around a number."""
from __future__ import annotations

import functools
import regex
from .. import vocab
from ..vocab import WS, alternation


RULE_FLAGS = regex.V1 | regex.VERBOSE | regex.IGNORECASE


@functools.cache
def figure_words() -> dict:
    return vocab.load("figures.yaml")





WORDS = figure_words()
ORG = regex.compile(rf"(?<!\p{{L}})(?<!cấp\s)(?:{alternation(WORDS['org_heads'])})(?!\p{{L}})(?!\s+hội(?!\p{{L}}))"
                    rf"(?:\s+(?!(?:{alternation(WORDS['org_stop'])})(?!\p{{L}}))[\p{{L}}\d&-]+){{0,6}}", regex.V1)
LEVEL_EXPLICIT = [(level, regex.compile(rf"(?<!\p{{L}})(?:{alternation(ws)})(?!\p{{L}})", regex.V1 | regex.I))
                  for level, ws in WORDS["levels"]["explicit"].items()]
LEVEL_UNIT = [(level, regex.compile(rf"(?:các\s+)?(?:{alternation(ws)})(?!\p{{L}})(?!\s+hội(?!\p{{L}}))", regex.V1))
              for level, ws in WORDS["levels"]["unit_heads"].items()]
LIST_MARK = regex.compile(r"(?<!\s)\n\s*+(?:[-+•*–]|[a-zđ]\)|\d+(?:\.\d+)*[.)])\s")
SENT_END = regex.compile(r"[.!?;](?=\s)|(?<!\s)\n(?:[^\S\n]*+\n)++(?=[^\S\n]*+(?:[-+•*–]|[a-zđ]\)|\d+[.)]|\p{Lu}))")


# --- context helpers ---------------------------------------------------------------------------

def clause_start(text: str, pos: int, limit: int = 220, stops: str = ".;!?(:") -> int:
    """Where the clause holding ``pos`` begins: after the last stop mark or list marker before it (in the
    ``limit`` characters before it).  A stop mark counts before whitespace or the end of the text ('(' always), a
    line break when a list item starts after it or the text before it ends with '.', ':' or ';'; each kind is
    found by ``str.rfind`` from ``pos`` back, the nearest of them wins."""
    lo = max(0, pos - limit)
    at = lo - 1
    if pos > lo:
        n = len(text)
        for c in stops:
            i = text.rfind(c, lo, pos)
            while i > at and not (c == "(" or i + 1 >= n or text[i + 1].isspace()):
                i = text.rfind(c, lo, i)
            at = max(at, i)
        i = text.rfind("\n", at + 1, pos)
        while i > at and not (i + 1 < n and (LIST_MARK.match(text, i) or _last_char(text, i) in (".", ":", ";"))):
            i = text.rfind("\n", at + 1, i)
        at = max(at, i)
    best = at + 1
    while best < pos and text[best].isspace():
        best += 1
    return best


def _last_char(text: str, i: int) -> str:
    """The last character before ``i`` that is not whitespace, or ''."""
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return text[i - 1] if i > 0 else ""


SENTENCE_END = regex.compile(r"[.!?](?=\s|$)")


def sentence_bounds(text: str, start: int, end: int, limit: int = 400) -> tuple[int, int]:
    lo = clause_start(text, start, limit, stops=".!?")
    m = SENTENCE_END.search(text, end, min(len(text), end + limit))
    return lo, (m.end() if m else min(len(text), end + limit))


def _flat(s: str) -> str:
    return WS.sub(" ", s).strip(" ,;:-–(")


TRAILING = regex.compile(r"(?:(?<!\s)\s++|^)(?:là|hiện\s+nay|hiện|đạt|ước\s+đạt|ước|khoảng|từ|với|được|bằng|chỉ|có|gồm|trên|gần|hơn|dưới|"
                         r"đạt\s+khoảng|mức|số\s+tiền|tổng\s+số|tổng\s+cộng|cộng)\s*+[:,]?\s*+$", regex.V1 | regex.I)


def _purpose(text: str, start: int) -> str | None:
    cs = clause_start(text, start, 200, stops=".;!?(:")
    s = _flat(text[cs:start])
    for _ in range(4):
        s2 = TRAILING.sub("", s).strip(" ,;:")
        if s2 == s:
            break
        s = s2
    return s[-160:] or None


def unit_in(s: str) -> str | None:
    """The last organisation named in a piece of text ('Sở Tư pháp', 'Phòng Tư pháp')."""
    found = list(ORG.finditer(s))
    return _flat(found[-1].group()) if found else None


def level_of(context: str, unit: str | None = None) -> str | None:
    """tỉnh / huyện / xã: an explicit 'cấp …' in the context, else the unit's first word."""
    hits = [(m.start(), level) for level, pat in LEVEL_EXPLICIT for m in pat.finditer(context)]
    if hits:
        return max(hits)[1]
    if unit:
        for level, pat in LEVEL_UNIT:
            if pat.match(unit):
                return level
    return None


def _list_item_lead(text: str, pos: int) -> str:
    """The lead of the list item holding ``pos`` ('Đối với cấp tỉnh:'), or ''."""
    lo = max(0, pos - 600)
    marks = list(LIST_MARK.finditer(text, lo, pos))
    if not marks:
        return ""
    item = text[marks[-1].end():pos]
    return item.split(":", 1)[0] if ":" in item else ""

"""Staffing: head counts of people, totals linked to their parts, the chuyên trách / kiêm nhiệm split."""
from __future__ import annotations

import re
import regex
from ..models import Staffing
from ..numbers import DIGITS, QTY, _quantity, anchored
from ..vocab import WS
from .context import RULE_FLAGS, ORG, TRAILING, WORDS, alternation, _flat, _list_item_lead, clause_start, level_of, sentence_bounds, unit_in


STAFFING_WORDS = WORDS["staffing"]
STAFF_RE = regex.compile(rf"(?P<q>{QTY})\s+(?P<noun>{alternation(STAFFING_WORDS['nouns'])})(?!\p{{L}})", RULE_FLAGS)
STAFF_NOUN = re.compile(r"(?<!\w)(?:" + alternation(STAFFING_WORDS["nouns"]) + r")(?!\w)", re.I)
STAFF_CUE = regex.compile(rf"(?<!\p{{L}})(?:{alternation(STAFFING_WORDS['cues'])})(?!\p{{L}})", RULE_FLAGS)
STAFF_NOT_BEFORE = regex.compile(rf"(?<!\p{{L}})(?:{alternation(STAFFING_WORDS['not_before'])})\s*$", RULE_FLAGS)
CATEGORY = {w: cat for cat, ws in STAFFING_WORDS["categories"].items() for w in ws}
CAT_RE = alternation(CATEGORY)
CATEGORY_WORD = regex.compile(rf"(?<!đa\s+số\s+(?:là\s+)?)(?<!\p{{L}})(?:{CAT_RE})(?!\p{{L}})", RULE_FLAGS)
SPLIT = regex.compile(rf"(?P<cat>{CAT_RE})\s*:?\s*(?P<n>{DIGITS})(?:\s*người)?|(?P<n2>{DIGITS})\s*(?:người\s+)?(?P<cat2>{CAT_RE})", RULE_FLAGS)
PARTS_FOLLOW = regex.compile(rf"^[^.;]{{0,120}}?(?<!\p{{L}})(?:{alternation(STAFFING_WORDS['parts_follow'])})\s*:", RULE_FLAGS)


def find_staffing(text: str) -> list[Staffing]:
    found: list[Staffing] = []
    for m in anchored(STAFF_RE, STAFF_NOUN, text):
        q = _quantity(m.start("q"), m["q"])
        if q is None or q.end != m.end("q") or q.value != int(q.value) or q.value <= 0:
            continue
        if found and q.start < found[-1].end:
            continue
        if STAFF_NOT_BEFORE.search(text[max(0, q.start - 30):q.start]):
            continue
        lo, hi = sentence_bounds(text, q.start, m.end())
        if m["noun"].lower() == "người" and not STAFF_CUE.search(text, lo, hi):
            continue
        end = m.end()
        # what follows: '(chuyên trách: 18, kiêm nhiệm: 19)', '(là biên chế …)', 'chuyên trách'
        after = text[end:min(hi, end + 120)]
        paren = regex.match(r"\s*\((?P<body>[^()]*(?:\([^()]*\)[^()]*)*)\)", after)
        tail = paren["body"] if paren else regex.match(r"[^,;.()]*", after).group()
        full = part = None
        category = None
        splits = list(SPLIT.finditer(tail))
        for s in splits:
            cat = CATEGORY[WS.sub(" ", (s["cat"] or s["cat2"]).lower())]
            n = int((s["n"] or s["n2"]).replace(".", ""))
            if cat == "chuyên trách":
                full = n
            elif cat == "kiêm nhiệm":
                part = n
        if full is None and part is None:
            cm = CATEGORY_WORD.search(tail)
            if cm:
                category = CATEGORY[WS.sub(" ", cm.group().lower())]
            elif m["noun"].lower() != "người" and m["noun"].lower() in CATEGORY:
                category = CATEGORY[m["noun"].lower()]
        cs = clause_start(text, q.start, 200, stops=".;!?(")
        before = text[cs:q.start]
        lead = _list_item_lead(text, q.start)
        unit = _staff_unit(before, tail if paren else "")
        level = level_of(before, None) or level_of(lead) or level_of("", unit) or (level_of(tail) if paren else None)
        found.append(Staffing(q.start, m.end(), text[q.start:m.end()], int(q.value), unit, level, category, full, part))
    return _link_parts(text, found)


def _staff_unit(before: str, paren: str) -> str | None:
    """Who the head count belongs to: the staff described before the number, else the unit named."""
    clause = _flat(TRAILING.sub("", _flat(before)))
    tm = regex.search(r"(?<!\p{L})tổng\s+số\s+", clause, regex.V1 | regex.I)
    if tm:
        return _cut(clause[tm.end():], 90)
    cues = list(STAFF_CUE.finditer(clause))
    if cues:
        k = len(cues) - 1
        while k > 0 and clause[cues[k - 1].end():cues[k].start()].strip() == "":
            k -= 1  # 'công chức pháp chế': the run of staff words, from its first
        at = cues[k].start()
        org = next((o for o in ORG.finditer(clause) if o.start() <= at < o.end()), None)
        return _cut(clause[org.start() if org else at:], 90)
    found = unit_in(clause)
    if found:
        return found
    first = next(iter(ORG.finditer(paren)), None)
    return _flat(first.group()) if first else (_cut(clause, 90) or None)


def _cut(s: str, n: int) -> str:
    return s if len(s) <= n else s[:n].rsplit(" ", 1)[0]


def staffing_split_spans(text: str, staff: list[Staffing]) -> list[tuple[int, int]]:
    """Where the chuyên trách / kiêm nhiệm numbers of each head count are written."""
    out = []
    for s in staff:
        if s.full_time is None and s.part_time is None:
            continue
        after = text[s.end:s.end + 120]
        for m in SPLIT.finditer(after):
            out.append((s.end + m.start(), s.end + m.end()))
    return out


def _link_parts(text: str, found: list[Staffing]) -> list[Staffing]:
    """A total followed by 'cụ thể:' / 'gồm:' is the parent of the head counts listed after it."""
    from dataclasses import replace
    out = list(found)
    for i, s in enumerate(found):
        if not PARTS_FOLLOW.search(text[s.end:s.end + 140]):
            continue
        scope = _list_scope_end(text, s.end)
        for j in range(i + 1, len(found)):
            if found[j].start >= scope:
                break
            if out[j].parent is None:
                out[j] = replace(out[j], parent=i)
    return out


def _list_scope_end(text: str, pos: int, cap: int = 2500) -> int:
    """The end of the list that follows ``pos``: the first sentence end not followed by a list item."""
    limit = min(len(text), pos + cap)
    for m in regex.finditer(r"\.(?=\s)", text[pos:limit]):
        nxt = regex.match(r"\s*(\S)", text[pos + m.end():limit])
        if not nxt:
            return limit
        if nxt.group(1) not in "-+•*–" and not regex.match(r"\s*[a-zđ]\)", text[pos + m.end():limit]):
            return pos + m.end()
    return limit

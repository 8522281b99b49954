"""What a sentence does with each document it cites, and what it says replaces or repeals what.

``Căn cứ Nghị định số 61/2018/NĐ-CP`` cites it as the legal basis (``basis``); ``Để triển khai
Quyết định số 300/QĐ-TTg`` as what the text implements; ``thay thế Thông tư số 07/2016/TT-BXD``
as what is replaced.  :func:`roles` gives one role per mention; :func:`supersessions` the
statements that a document (the citing one, ``Thông tư này …``, or the one cited just before)
replaces or repeals another, with the span of the words that say so.  Vocabulary in
``vocab/citation_roles.yaml``.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass
from typing import Sequence

import regex

from . import vocab
from .dates import find_dates
from .starts import first_words, word_matches
from .vocab import whole_words

FLAGS = regex.V1 | regex.IGNORECASE
ROLES = ("basis", "implements", "amends", "replaces", "repeals", "guides", "reference")


@functools.cache
def role_words() -> dict:
    """``vocab/citation_roles.yaml``: the role words, and the words that pair two mentions (extractors/relations.py)."""
    return vocab.load("citation_roles.yaml")


@functools.cache
def _patterns():
    v = role_words()
    word_role = {w.lower(): role for role, words in v["roles"].items() for w in words}
    word_role.update({w.lower(): "by:" + relation for relation, words in v["passive"].items() for w in words})
    trigger = whole_words(word_role, FLAGS)
    # searched from the mention's end and kept when it starts within 120 characters with no . ; or line
    # break before it (a lazy prefix '[^.;\n]{0,120}?' did the same at 120 tries per position of a search)
    ceases = whole_words(v['ceases_after'], FLAGS)
    self_ = whole_words(v['self_words'], FLAGS)
    partial = whole_words(v['partial_words'], regex.V1)
    return word_role, trigger, ceases, self_, partial, int(v["reach"]), first_words(word_role), first_words(v['ceases_after'])


# where a clause starts: after . ; ! ?, a blank line, or a line break before a list item or 'Căn cứ' (a single
# line break inside a paragraph is the reader's wrapping, not a clause)
CLAUSE_START = regex.compile(r"[.;!?](?=\s)|\n\s*\n|\n(?=[ \t]*(?:[-–+*•]|\d+(?:\.\d+)*[.)]|[a-zđ]\)|Căn\s+cứ|Điều\s+\d))")
CLAUSE_MARKS = ".;!?\n"   # what a CLAUSE_START starts with
CEASES_GAP_END = regex.compile(r"[.;\n]")
IN_FORCE_FROM = regex.compile(r"(?<!\p{L})có\s+hiệu\s+lực(?:\s+thi\s+hành)?", FLAGS)
# the mention is a question's subject: 'Thông tư X có bị thay thế bởi Thông tư Y không?'
QUESTION = regex.compile(r"[^.;!?\n]{0,300}?(?:không|chưa|nào|gì)?\s*\?", FLAGS)
# after the mention, another document is what ceases: 'Thông tư X quy định 7 Thông tư hết hiệu lực'
OTHER_SUBJECT = regex.compile(r"(?<!\p{L})(?:quy\s+định|Thông\s+tư|Nghị\s+định|Quyết\s+định|Nghị\s+quyết|Luật|văn\s+bản|"
                              r"Chỉ\s+thị|Kế\s+hoạch|Điều|khoản|điểm)(?!\p{L})", regex.V1)
# right after a replacing word: the mention is where the change is made ('bãi bỏ tại Nghị định số X')
AT = regex.compile(r"(?<!\s)\s*+(?:tại|bởi|theo)(?!\p{L})", FLAGS)
# right before a mention that ceases: what ceases is something published in it ('thủ tục … công bố tại Quyết định số X')
AT_END = regex.compile(r"(?<!\p{L})(?:tại|kèm\s+theo)\s*$", FLAGS)
# 'Các thủ tục hành chính đã công bố tại các Quyết định số A; …; số X hết hiệu lực': the procedures cease, not X
PUBLISHED_IN = regex.compile(r"(?<!\p{L})(?:công\s+bố\s+tại|thủ\s+tục\s+hành\s+chính)(?!\p{L})", FLAGS)
NEGATED = regex.compile(r"(?<!\p{L})(?:không|chưa|chẳng)(?:\s+(?:bị|được|phải))?\s*$", FLAGS)
DRAFT = regex.compile(r"(?<!\p{L})dự\s+thảo(?!\p{L})", FLAGS)
# what may stand before an article's first word: '2.', 'a)', '-', 'Điều 3.' is cut at its dot
ITEM_MARK = regex.compile(r"\s*(?:[-–+*•]|\d+(?:\.\d+)*[.)]?|[a-zđ]\))?\s*")


@dataclass(frozen=True, slots=True)
class Mention:
    """Where a citation stands (``start``/``end`` into the text) and its số hiệu."""

    start: int
    end: int
    ref: str | None = None
    pinpoint: bool = False    # the mention names an article, clause or point ('Điều 5 của Quyết định số …')


@dataclass(frozen=True, slots=True)
class Role:
    role: str
    start: int          # the words that give the role (the mention itself for 'reference')
    end: int
    replacing: str | None = None   # 'được thay thế bằng <this one>': what this mention does to the one before


@dataclass(frozen=True, slots=True)
class Supersession:
    """Mention ``target`` is replaced / repealed / amended by mention ``by`` (None: the citing document
    itself), from ``since`` when the sentence gives a date; ``start``/``end`` span the statement."""

    target: int
    by: int | None
    relation: str        # replaced | repealed | amended
    since: dt.date | None
    start: int
    end: int


def _clause_start(text: str, pos: int) -> int:
    """The end of the last CLAUSE_START in the 1500 characters before ``pos`` (``pos - 1500`` if none).

    Looked for in the last 80, then 400 characters first: a scan from a later start finds the same last
    match once it finds any (only a run of whitespace can straddle that start, and every match inside the
    run ends where the straddling one does), so the whole 1500 are read only when the 400 hold none."""
    lo = max(0, pos - 1500)
    for w in (max(lo, pos - 80), max(lo, pos - 400), lo):
        last = None
        if any(c in text[w:pos] for c in CLAUSE_MARKS):   # else the window holds none
            for last in CLAUSE_START.finditer(text, w, pos):
                pass
        if last is not None:
            return last.end()
        if w == lo:
            break
    return lo


def roles(text: str, mentions: Sequence[Mention]) -> list[Role]:
    """One role per mention: the last role word before it in its clause (within ``reach`` characters of
    the mention or of the mention before it that shares the word: 'Căn cứ A, B, C'), or 'repeals' when
    the clause goes on with 'hết hiệu lực'; otherwise 'reference'."""
    word_role, trigger, ceases, _, _, reach, trigger_firsts, ceases_firsts = _patterns()
    starts = [p.start for p in mentions]
    ordered = all(a <= b for a, b in zip(starts, starts[1:]))
    out: list[Role] = []
    for k, m in enumerate(mentions):
        lo = _clause_start(text, m.start)
        last = None
        for t in word_matches(trigger, trigger_firsts, text, lo, m.start):
            last = t
        role = None
        if last is not None:
            # the words cover the mention directly, or through the mentions listed between them
            gap_start = last_end = last.end()
            for p in mentions[bisect.bisect_left(starts, last_end, 0, k) if ordered else 0:k]:
                if last_end <= p.start and p.end <= m.start and p.start - gap_start <= reach:
                    gap_start = p.end
            if m.start - gap_start <= reach:
                word = word_role[WS(last.group()).lower()]
                role = (Role("reference", last.start(), last.end(), replacing=word[3:]) if word.startswith("by:")
                        else Role(word, last.start(), last.end()))
        after = next(word_matches(ceases, ceases_firsts, text, m.end, min(len(text), m.end + 200)), None)
        stop = CEASES_GAP_END.search(text, m.end, min(len(text), m.end + 120)) if after is not None else None
        if after is not None and after.start() <= (stop.start() if stop else m.end + 120) \
                and not any(m.end < p.start < after.end() for p in mentions) \
                and not OTHER_SUBJECT.search(text, m.end, after.end()):
            role = Role("repeals", after.end() - len(text[m.end:after.end()].split()[-1]), after.end())
        out.append(role or Role("reference", m.start, m.end))
    return out


def _in_force_from(text: str, pos: int, lo: int | None = None) -> dt.date | None:
    """The date of 'có hiệu lực (thi hành) (kể) từ ngày D' in the 250 characters before ``pos`` (after ``lo``):
    'Nghị định này có hiệu lực thi hành từ ngày 01/03/2025; thay thế …' replaces from that day."""
    start = max(lo or 0, pos - 250)
    effs = list(IN_FORCE_FROM.finditer(text, start, pos))
    if not effs:
        return None
    dates = [d for d in find_dates(text[effs[-1].end():pos]) if d.value]
    return dates[0].value if dates else None


def WS(s: str) -> str:
    return vocab.WS.sub(" ", s)


def _issued_with(text: str, m: Mention) -> bool:
    """Whether the mention stands for what is issued with its document ('Phụ lục III ban hành kèm theo Nghị định …'),
    not the document.  (An article of the replacing one only says where: 'Điều 19 Quy định A … thay thế B'.)"""
    return bool(AT_END.search(text, max(0, m.start - 30), m.start))


def supersessions(text: str, mentions: Sequence[Mention], found: Sequence[Role] | None = None) -> list[Supersession]:
    """Statements that a document replaces or repeals another: 'Thông tư này … thay thế Thông tư số X'
    (the citing document), 'Thông tư số A … thay thế Thông tư số B' (A, cited just before in the same
    clause), 'Bãi bỏ Quyết định số X' in a document's own articles (the citing document), 'Quyết định số X
    hết hiệu lực kể từ ngày D'.  Replacing or repealing only articles or words of X is 'amended'."""
    _, _, _, self_, partial, *_ = _patterns()
    found = list(found) if found is not None else roles(text, mentions)
    out: list[Supersession] = []
    for k, (m, r) in enumerate(zip(mentions, found)):
        if (r.replacing or r.role in ("replaces", "repeals", "amends")) and (
                QUESTION.match(text, m.end) or NEGATED.search(text, max(0, r.start - 12), r.start)):
            continue   # a question, or 'Thông tư X không bị thay thế bởi Thông tư Y'   # 'Thông tư 133/2016/TT-BTC có bị thay thế bởi Thông tư 99/2025/TT-BTC không?'
        if r.replacing and k > 0 and mentions[k - 1].ref and _clause_start(text, r.start) <= mentions[k - 1].start:
            p = mentions[k - 1]
            relation = "amended" if p.pinpoint or partial.search(text, p.end, r.start) else r.replacing
            out.append(Supersession(k - 1, k, relation, _in_force_from(text, r.start), p.start, m.end))   # 'A được thay thế bằng B'
            continue
        if r.role not in ("replaces", "repeals", "amends") or not m.ref:
            continue
        if r.start >= m.end:   # '<X> hết hiệu lực kể từ ngày D'
            dates = [d for d in find_dates(text[r.end:r.end + 60]) if d.value]
            sentence = text[max(0, m.start - 800):m.start].rsplit(". ", 1)[-1]
            part = (m.pinpoint or partial.search(text, max(0, m.start - 40), m.start)
                    or AT_END.search(text, max(0, m.start - 30), m.start) or PUBLISHED_IN.search(sentence))   # 'Phụ lục … kèm theo Quyết định số X'
            out.append(Supersession(k, None, "amended" if part else "repealed", dates[0].value if dates else None,
                                    m.start, r.end))
            continue
        lo = _clause_start(text, r.start)
        if DRAFT.search(text, lo, r.start):
            continue   # 'góp ý dự thảo Quyết định sửa đổi …': a draft changes nothing yet
        between = text[r.end:m.start]
        if AT.match(between):
            continue   # '… sửa đổi, bổ sung, thay thế, bãi bỏ tại Nghị định số X': what X changes, not X
        before = [j for j, p in enumerate(mentions[:k]) if lo <= p.start and p.end <= r.start]
        if r.role == "amends":
            relation = "amended"
        elif (m.pinpoint or partial.search(between) or _issued_with(text, m)
              or (before and _issued_with(text, mentions[before[-1]]))):
            relation = "amended"   # 'bãi bỏ Điều 5 của Quyết định số …', 'Phụ lục kèm theo Nghị định A (thay thế Nghị định B)'
        else:
            relation = "replaced" if r.role == "replaces" else "repealed"
        if self_.search(text, lo, r.start) and not before:
            # 'Thông tư này có hiệu lực kể từ ngày 05/8/2021 và thay thế …': replaced from that day
            out.append(Supersession(k, None, relation, _in_force_from(text, r.start), lo, m.end))
        elif before:
            out.append(Supersession(k, before[-1], relation, _in_force_from(text, r.start, mentions[before[-1]].end),
                                    mentions[before[-1]].start, m.end))
        elif ITEM_MARK.fullmatch(text, lo, r.start):
            out.append(Supersession(k, None, relation, _in_force_from(text, r.start), r.start, m.end))   # 'Bãi bỏ …' opens an article
    return out

"""Figures in running text and tables: budget, staffing, deadlines and counts.

Every finder is a pure function over normalized text that returns spans (see models.py).
Numbers are read by extractors/numbers.py; vocabulary is in data/figures.yaml.
"""
from __future__ import annotations

import functools
import re

import regex

from . import grids as G
from . import patterns as P
from . import tables
from .dates import to_date
from .models import Budget, Count, Deadline, Staffing
from .numbers import DIGITS, QTY, _quantity, anchored, find_money, find_percents, find_quantities
from .tables import WS

F = regex.V1 | regex.VERBOSE | regex.IGNORECASE


@functools.cache
def vocab() -> dict:
    return tables._yaml("figures.yaml")


_alt = tables.alternation


V = vocab()
ORG = regex.compile(rf"(?<!\p{{L}})(?<!cấp\s)(?:{_alt(V['org_heads'])})(?!\p{{L}})"
                    rf"(?:\s+(?!(?:{_alt(V['org_stop'])})(?!\p{{L}}))[\p{{L}}\d&-]+){{0,6}}", regex.V1)
LEVEL_EXPLICIT = [(level, regex.compile(rf"(?<!\p{{L}})(?:{_alt(ws)})(?!\p{{L}})", regex.V1 | regex.I))
                  for level, ws in V["levels"]["explicit"].items()]
LEVEL_UNIT = [(level, regex.compile(rf"(?:các\s+)?(?:{_alt(ws)})(?!\p{{L}})", regex.V1))
              for level, ws in V["levels"]["unit_heads"].items()]
LIST_MARK = regex.compile(r"\n\s*(?:[-+•*–]|[a-zđ]\)|\d+(?:\.\d+)*[.)])\s")
SENT_END = regex.compile(r"[.!?;](?=\s)|\n\s*\n(?=\s*(?:[-+•*–]|[a-zđ]\)|\d+[.)]|\p{Lu}))")


# --- context helpers ---------------------------------------------------------------------------

def clause_start(text: str, pos: int, limit: int = 220, stops: str = ".;!?(:") -> int:
    """Where the clause holding ``pos`` begins: after the last stop mark or list marker before it."""
    lo = max(0, pos - limit)
    best = lo
    for i in range(pos - 1, lo - 1, -1):
        c = text[i]
        if c in stops and (i + 1 >= len(text) or text[i + 1].isspace() or c == "("):
            best = i + 1
            break
        if c == "\n" and i + 1 < len(text) and (LIST_MARK.match(text, i) or text[:i].rstrip()[-1:] in (".", ":", ";")):
            best = i + 1
            break
    while best < pos and text[best].isspace():
        best += 1
    return best


SENTENCE_END = regex.compile(r"[.!?](?=\s|$)")


def sentence_bounds(text: str, start: int, end: int, limit: int = 400) -> tuple[int, int]:
    lo = clause_start(text, start, limit, stops=".!?")
    m = SENTENCE_END.search(text, end, min(len(text), end + limit))
    return lo, (m.end() if m else min(len(text), end + limit))


def _flat(s: str) -> str:
    return WS.sub(" ", s).strip(" ,;:-–(")


TRAILING = regex.compile(r"(?:\s+|^)(?:là|hiện\s+nay|hiện|đạt|ước\s+đạt|ước|khoảng|từ|với|được|bằng|chỉ|có|gồm|trên|gần|hơn|dưới|"
                         r"đạt\s+khoảng|mức|số\s+tiền|tổng\s+số|tổng\s+cộng|cộng)\s*[:,]?\s*$", regex.V1 | regex.I)


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


# --- budget ------------------------------------------------------------------------------------

def find_budget(text: str, grids: list[G.Grid] | None = None) -> list[Budget]:
    """Money in running text, then every amount cell of a money table."""
    grids = G.find_grids(text) if grids is None else grids
    spans = [(g.start, g.end, g) for g in grids]
    out = []
    for m in find_money(text):
        grid = next((g for s, e, g in spans if s <= m.start < e), None)
        purpose = _purpose(text, m.start)
        lo, hi = sentence_bounds(text, m.start, m.end)
        after = regex.match(r"\s*[,)]?\s*(?:cho|để)\s+", text[m.end:hi])
        unit = unit_in(purpose or "") or (unit_in(text[m.end + after.end():hi][:80]) if after else None)
        level = level_of(purpose or "", unit) or level_of(_list_item_lead(text, m.start))
        out.append(Budget(m.start, m.end, m.surface, m.min_vnd, m.max_vnd, m.per, m.approx, m.pair, purpose=purpose,
                          unit=unit, level=level, in_table=grid is not None, table_caption=grid.caption if grid else None))
    for g in grids:
        out.extend(_grid_budget(g))
    return sorted(out, key=lambda b: b.start)


def _grid_budget(g: G.Grid) -> list[Budget]:
    ratios = G.ratio_columns(g)
    out = []
    for row in g.rows:
        scale = G.money_scale(row.unit) if row.unit else G.money_scale(g.unit)
        if scale is None or regex.search(r"%|(?<!\p{L})tỷ\s+lệ(?!\p{L})", row.label, regex.V1 | regex.I):
            continue
        for i, cell in enumerate(row.cells):
            v = G.cell_value(cell)
            j = row.column_of(i, len(g.columns))
            if v is None or (j in ratios if j is not None else ("," in cell.surface and 0 < v < 1000)):
                continue
            col = g.columns[j] if j is not None and j < len(g.columns) else None
            purpose = " — ".join(x for x in (g.caption, row.label, col) if x) or None
            amount = int(v * scale)
            unit = unit_in(row.label)
            out.append(Budget(cell.start, cell.end, cell.surface, amount, amount, purpose=purpose, unit=unit,
                              level=level_of(row.label, unit), in_table=True, table_row=row.label or None,
                              table_column=col, table_caption=g.caption))
    return out


# --- staffing ----------------------------------------------------------------------------------

ST = V["staffing"]
STAFF_RE = regex.compile(rf"(?P<q>{QTY})\s+(?P<noun>{_alt(ST['nouns'])})(?!\p{{L}})", F)
STAFF_NOUN = re.compile(r"(?<!\w)(?:" + _alt(ST["nouns"]) + r")(?!\w)", re.I)
STAFF_CUE = regex.compile(rf"(?<!\p{{L}})(?:{_alt(ST['cues'])})(?!\p{{L}})", F)
STAFF_NOT_BEFORE = regex.compile(rf"(?<!\p{{L}})(?:{_alt(ST['not_before'])})\s*$", F)
CATEGORY = {w: cat for cat, ws in ST["categories"].items() for w in ws}
CAT_RE = _alt(CATEGORY)
CATEGORY_WORD = regex.compile(rf"(?<!đa\s+số\s+(?:là\s+)?)(?<!\p{{L}})(?:{CAT_RE})(?!\p{{L}})", F)
SPLIT = regex.compile(rf"(?P<cat>{CAT_RE})\s*:?\s*(?P<n>{DIGITS})(?:\s*người)?|(?P<n2>{DIGITS})\s*(?:người\s+)?(?P<cat2>{CAT_RE})", F)
PARTS_FOLLOW = regex.compile(rf"^[^.;]{{0,120}}?(?<!\p{{L}})(?:{_alt(ST['parts_follow'])})\s*:", F)


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


# --- deadlines ---------------------------------------------------------------------------------

DL = V["deadlines"]
DAYMONTH = r"(?P<d3>\d{1,2})\s*(?:/|-|\s+tháng\s+)\s*(?P<m3>\d{1,2})(?![\d/])(?!\s*(?:/|năm)\s*\d)"
RECUR = rf"(?P<rec>\s*,?\s*(?:{_alt(DL['recurring'])}))?"
DEADLINE = regex.compile(
    rf"""(?<!\p{{L}})(?P<cue>{_alt(DL['cues'])})\s*:?\s+(?:vào\s+)?(?:(?:hết\s+)?ngày\s*)?
         (?:{P.DATE}|{DAYMONTH}){RECUR}
       | (?<!\p{{L}})(?P<cue2>đến\s+(?:hết\s+)?ngày)\s*(?:{P.DATE.replace('?P<', '?P<x_')}|{DAYMONTH.replace('?P<', '?P<x_')})
         (?P<rec2>\s*,?\s*(?:{_alt(DL['recurring'])}))
       | (?<!\p{{L}})(?P<mcue>(?:hoàn\s+thành|xong|thực\s+hiện\s+xong)?\s*trong\s+)?tháng\s+(?P<mm>\d{{1,2}})
         (?:\s*(?:/|năm)\s*(?P<my>\d{{4}})|(?P<mrec>\s+(?:{_alt(DL['recurring'])})))
    """, F)
DL_NOT_BEFORE = regex.compile(rf"(?<!\p{{L}})(?:{_alt(DL['not_before'])})\s*(?:từ\s+)?$", F)
OBLIGATION = regex.compile(r"(?<!\p{L})(?:hoàn\s+thành|xong|gửi|nộp|ban\s+hành|trình|báo\s+cáo|tổ\s+chức)(?!\p{L})", regex.V1 | regex.I)
WHO_ACTS = regex.compile(rf"(?P<who>{ORG.pattern})\s+(?:chủ\s+trì|có\s+trách\s+nhiệm|khẩn\s+trương|tổng\s+hợp|"
                         r"báo\s+cáo|gửi|hoàn\s+thành|ban\s+hành|thực\s+hiện|rà\s+soát|xây\s+dựng)", regex.V1)
WHO_LEAD = regex.compile(r"^(?:[-+•*–]\s*|\d+\.\s*|[a-zđ]\)\s*)?(?:Giao\s+|Đề\s+nghị\s+|Yêu\s+cầu\s+|Các\s+)?", regex.V1)


def find_deadlines(text: str) -> list[Deadline]:
    out: list[Deadline] = []
    for m in DEADLINE.finditer(text):
        g = m.groupdict()
        recurring = None
        precision = "day"
        due = None
        if g["mm"]:
            month = int(g["mm"])
            if not 1 <= month <= 12:
                continue
            if g["mrec"]:
                recurring, precision = f"--{month:02d}", "month"
            else:
                cs = clause_start(text, m.start(), 200)
                clause = text[cs:m.start()]
                if not (g["mcue"] and (regex.search(r"hoàn\s+thành|xong", g["mcue"]) or OBLIGATION.search(clause))) \
                        or regex.search(r"(?<!\p{L})đã(?!\p{L})", clause):
                    continue
                year = int(g["my"])
                nxt = to_date(1, month % 12 + 1, year + (month == 12))
                if nxt is None:
                    continue
                due = nxt.fromordinal(nxt.toordinal() - 1)
                precision = "month"
        else:
            cue_start = m.start("cue") if g["cue"] else m.start("cue2")
            if DL_NOT_BEFORE.search(text[max(0, cue_start - 30):cue_start]):
                continue
            day, month, year = _dmy(g)
            if not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            rec = g["rec"] or g.get("rec2")
            if year is None or rec:
                recurring = f"--{month:02d}-{day:02d}"
            else:
                due = to_date(day, month, year)
                if due is None:
                    continue
        what, who = _what_who(text, m.start())
        out.append(Deadline(m.start(), m.end(), m.group(), due, recurring, precision, what, who))
    return out


def _dmy(g: dict) -> tuple[int, int, int | None]:
    for d, mo, y in (("d", "m", "y"), ("d2", "m2", "y2"), ("x_d", "x_m", "x_y"), ("x_d2", "x_m2", "x_y2")):
        if g.get(d):
            return int(g[d]), int(g[mo]), int(g[y])
    for d, mo in (("d3", "m3"), ("x_d3", "x_m3")):
        if g.get(d):
            return int(g[d]), int(g[mo]), None
    raise ValueError("deadline without a date")  # the pattern always captures one of the forms


def _what_who(text: str, start: int) -> tuple[str | None, str | None]:
    cs = clause_start(text, start, 260, stops=".;!?")
    if start - cs < 15:  # '(trước ngày …)' closes a longer sentence
        cs = clause_start(text, max(0, cs - 2), 260, stops=".;!?")
    clause = _flat(text[cs:start]).rstrip(" (")
    om = ORG.match(WHO_LEAD.sub("", clause)) or WHO_ACTS.search(clause)
    who = _flat(om.group("who") if "who" in om.groupdict() else om.group()) if om else None
    return clause[-200:] or None, who


# --- counts ------------------------------------------------------------------------------------

CT = V["counts"]
CLASSIFIERS = frozenset(CT["classifiers"])
NOT_UNIT = regex.compile(rf"\s*(?:{_alt(CT['not_units'])})(?!\p{{L}})", F)
NOT_AFTER = regex.compile(rf"(?<!\p{{L}})(?:{_alt(CT['not_after'])})\s*:?\s*$", regex.V1)
TAG_WORDS = 8          # words after a number given to the tagger
DIGIT = re.compile(r"\d")
AFTER_RANGE_OR_LIST = regex.compile(r"(?:[-–]|\d\s*,|\d\s+(?:và|hoặc))\s*$", regex.V1)
YEAR = regex.compile(r"(?:19|20)\d\d")
WORD_NEXT = regex.compile(r"[ \t]*\n?[ \t]*\p{L}", regex.V1)
FRAGMENT_END = regex.compile(r"\n\s*\n|[.;!?](?:\s|$)")
STOP_TAGS = {"E", "C", "CC", "CH", "P", "R", "L", "T", "X", "M", "Np"}
STOP_WORDS = {"của", "tại", "với", "và", "trên", "cho", "theo", "là", "được", "để", "trong", "từ", "đến", "có",
              "này", "đó", "gồm", "thuộc", "về", "khi", "như", "hoặc", "mỗi", "các", "những"}


@functools.lru_cache(maxsize=20000)
def _tag(fragment: str) -> tuple[tuple[str, str], ...]:
    from underthesea import pos_tag
    return tuple(pos_tag(fragment))


def find_counts(text: str, taken: list[tuple[int, int]] = ()) -> list[Count]:
    """Numbers with the thing they count; ``taken`` are spans already read as something else."""
    taken = _merge(taken)
    out = []
    for q in find_quantities(text):
        if q.value != int(q.value) or q.value <= 0 or q.value >= 10**9 or q.has_scale:
            continue
        if _overlaps(taken, q.start, q.end):
            continue
        before = text[max(0, q.start - 25):q.start]
        if NOT_AFTER.search(before) or AFTER_RANGE_OR_LIST.search(before):
            continue
        if YEAR.fullmatch(q.surface):
            continue  # a year
        rest = text[q.end:q.end + 80]
        if not WORD_NEXT.match(rest) or NOT_UNIT.match(rest):
            continue
        if rest.startswith("\n") and (q.start == 0 or text[q.start - 1] == "\n"):
            continue  # a number alone on its line: a row number (STT) of a table
        # the tagger reads a phrase better with what follows it: tag up to a paragraph break
        stop = FRAGMENT_END.search(rest)
        fragment = " ".join(WS.sub(" ", rest[:stop.start() if stop else len(rest)]).split()[:TAG_WORDS])
        if not fragment:
            continue
        # the tagger reads the words, not the value: one stand-in number and digit shape keep its cache warm
        phrase, head = _phrase("5" if q.surface[0].isdigit() else WS.sub(" ", q.surface), DIGIT.sub("5", fragment))
        if not phrase:
            continue
        # the phrase as written: the same words in the text (line breaks kept)
        pm = regex.match(r"\s*" + r"\s+".join(regex.escape(w) for w in phrase.split()), rest)
        if not pm:
            continue
        end = q.end + pm.end()
        out.append(Count(q.start, end, text[q.start:end], int(q.value), phrase, head))
    return _link_count_parts(text, out)


COUNT_PARTS = regex.compile(r"^[^.;]{0,160}?(?<!\p{L})(?:gồm|bao\s+gồm|trong\s+đó)\s*:?\s*$", regex.V1 | regex.I)
PART_JOIN = regex.compile(r"^\s*(?:,|;|và|,\s*và)?\s*$", regex.V1)
ITEMS_FOLLOW = regex.compile(r"\s*,?\s*(?:cụ\s+thể|như\s+sau|gồm\s+các\s+văn\s+bản)\s*:", regex.V1 | regex.I)
LIST_END = regex.compile(r"\n\s*(?:\d+\.|[IVX]+\.|[a-zđ]\))\s+\p{Lu}", regex.V1)


def _link_count_parts(text: str, counts: list[Count]) -> list[Count]:
    """'10 văn bản, gồm: 03 chỉ thị, 05 kế hoạch, 02 công văn': the three are parts of the ten."""
    from dataclasses import replace
    out = list(counts)
    for i, c in enumerate(counts):
        nxt = counts[i + 1] if i + 1 < len(counts) else None
        if nxt is None or not COUNT_PARTS.search(text[c.end:nxt.start]):
            continue
        j, prev = i + 1, c
        while j < len(counts) and (j == i + 1 or PART_JOIN.match(text[prev.end:counts[j].start])):
            out[j] = replace(out[j], parent=i)
            prev = counts[j]
            j += 1
    return out


def count_list_items(text: str, counts: list[Count], cites: list) -> list[tuple[int, int]]:
    """(count, citation) pairs for a stated number of documents followed by the list of them:
    '… 10 văn bản, gồm: …, cụ thể:' then one document per row.  A row's first citation is its item."""
    out = []
    for i, c in enumerate(counts):
        if c.parent is not None or not regex.match(r"văn\s+bản", c.head, regex.V1 | regex.I):
            continue
        last = max([k for k, p in enumerate(counts) if p.parent == i] + [i])
        im = ITEMS_FOLLOW.match(text, counts[last].end)
        if not im:
            continue
        end_m = LIST_END.search(text, im.end(), min(len(text), im.end() + 6000))
        hi = end_m.start() if end_m else min(len(text), im.end() + 6000)
        for k, cite in enumerate(cites):
            if im.end() <= cite.start < hi and regex.search(r"(?:^|\n)[ \t]*(?:\d{1,3}[.)]?[ \t]*\n?[ \t]*)?$", text[max(0, cite.start - 8):cite.start]):
                out.append((i, k))
    return out


def _tagged_after(number: str, fragment: str) -> list[tuple[str, str]]:
    """POS tags of ``fragment``, tagged with its number before it (the tagger needs the context)."""
    tagged = list(_tag(f"{number} {fragment}"))
    seen = ""
    for k, (word, _) in enumerate(tagged):
        seen = f"{seen} {word}".strip()
        if seen == number:
            return tagged[k + 1:]
        if not number.startswith(seen):
            break
    if tagged and tagged[0][0].startswith(number + " "):
        # the segmenter glued the number to its noun ('1.120 cuộc'): the rest is the noun
        return [(tagged[0][0][len(number) + 1:], "N")] + tagged[1:]
    return tagged


def _phrase(number: str, fragment: str) -> tuple[str, str]:
    """The counted noun phrase at the start of ``fragment`` (what follows ``number``) and its head."""
    toks: list[str] = []
    for word, tag in _tagged_after(number, fragment):
        if word.lower() in STOP_WORDS or tag in STOP_TAGS:
            break
        # a verb ends the phrase, except right after a classifier ('đợt khảo sát') or first
        # (the tagger reads some counted nouns as verbs: '1.120 cuộc', '814 cuốn')
        if tag.startswith("V") and toks and not (len(toks) == 1 and toks[0].lower() in CLASSIFIERS):
            break
        if not toks and not (tag.startswith("N") or word.lower() in CLASSIFIERS):
            return "", ""  # what follows the number is not a noun: not a count
        toks.append(word)
        if len(toks) >= 5:
            break
    if not toks:
        return "", ""
    head = f"{toks[0]} {toks[1]}" if toks[0].lower() in CLASSIFIERS and len(toks) > 1 else toks[0]
    return " ".join(toks), head


def _merge(spans) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _overlaps(merged: list[tuple[int, int]], s: int, e: int) -> bool:
    """Whether [s, e) meets one of the disjoint, sorted spans."""
    import bisect
    i = bisect.bisect_right(merged, (s, 10**15)) - 1
    return any(0 <= k < len(merged) and merged[k][0] < e and s < merged[k][1] for k in (i, i + 1))


def percent_spans(text: str) -> list[tuple[int, int]]:
    return [(p.start, p.end) for p in find_percents(text)]

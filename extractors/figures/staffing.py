"""Staffing: head counts of people, totals linked to their parts, the chuyên trách / kiêm nhiệm split."""
from __future__ import annotations

import re
from dataclasses import replace
import regex
from ..models import Staffing
from ..numbers import DIGITS, QTY, QTY_END, _quantity, anchored, ends_before
from ..vocab import WS, whole_words
from .context import RULE_FLAGS, ORG, TRAILING, WORDS, alternation, _flat, _list_item_lead, clause_start, level_of, sentence_bounds, unit_in


STAFFING_WORDS = WORDS["staffing"]
STAFF_RE = regex.compile(rf"(?P<q>{QTY})\s+(?P<noun>{alternation(STAFFING_WORDS['nouns'])})(?!\p{{L}})", RULE_FLAGS)
# where STAFF_RE can end, for numbers.anchored: a staff noun after whitespace, over the lower-cased text (the
# any-case form when lowering changes its length), kept only after a digit or a number word (QTY_END)
STAFF_NOUN = re.compile(r"\s(?P<anchor>" + alternation(STAFFING_WORDS["nouns"]) + r")(?!\w)", re.I)
STAFF_NOUN_LOWER = re.compile(r"\s(?P<anchor>" + alternation(w.lower() for w in STAFFING_WORDS["nouns"]) + r")(?!\w)")
STAFF_CUE = whole_words(STAFFING_WORDS['cues'], RULE_FLAGS)
STAFF_NOT_BEFORE = regex.compile(rf"(?<!\p{{L}})(?:{alternation(STAFFING_WORDS['not_before'])})\s*$", RULE_FLAGS)
CATEGORY = {w: cat for cat, ws in STAFFING_WORDS["categories"].items() for w in ws}
CAT_RE = alternation(CATEGORY)
CATEGORY_WORD = regex.compile(rf"(?<!đa\s+số\s+(?:là\s+)?)(?<!không\s+)(?<!\p{{L}})(?:{CAT_RE})(?!\p{{L}})", RULE_FLAGS)
SPLIT = regex.compile(rf"(?P<cat>{CAT_RE})\s*:?\s*(?P<n>{DIGITS})(?:\s*người)?|(?P<n2>{DIGITS})\s*(?:người\s+)?(?P<cat2>{CAT_RE})", RULE_FLAGS)
PARTS_FOLLOW = regex.compile(rf"^[^.;]{{0,120}}?(?<!\p{{L}})(?:{alternation(STAFFING_WORDS['parts_follow'])})(?:\s*:|\s+(?=[^.;]*\d))", RULE_FLAGS)
ROLE_RE = regex.compile(rf"(?P<q>{QTY})\s+(?P<noun>{alternation(STAFFING_WORDS['role_nouns'])})(?!\p{{L}})", regex.V1)
# the role nouns alone, by the stdlib engine (its \s holds regex's): a text without one after a number has no
# ROLE_RE match, and the full pattern, slow at every position, runs on the few texts that hold one (_role_counts).
# One pattern per first word ('Phó', 'cấp'), which is all it consumes: a literal start lets the engine skip
# ahead to it (three times faster than one alternation, which tries every 'c'), and no occurrence hides another.
def _by_first_word(phrases) -> list[re.Pattern]:
    rests: dict[str, list[str]] = {}
    for phrase in phrases:
        first, *more = phrase.split()
        rests.setdefault(first, []).append("".join(r"\s+" + re.escape(w) for w in more))
    return [re.compile(re.escape(w) + (f"(?=(?:{'|'.join(rs)}))" if all(rs) else "")) for w, rs in rests.items()]


ROLE_NOUN = _by_first_word(STAFFING_WORDS['role_nouns'])
# every LIST_ROLE match holds a ':' and a digit after a role, and every role ends with one of these words: a text
# without such a colon after one (nearly every text) has no role list, and the full pattern is not run on it
ROLE_COLON = re.compile(r":\s*\d")
ROLE_LAST_WORD = re.compile(r"(?:" + alternation({r.split()[-1] for r in STAFFING_WORDS['list_roles']}) + r")\Z")
LIST_ROLE = regex.compile(rf"(?<!\p{{L}})(?P<role>{alternation(STAFFING_WORDS['list_roles'])})\s*:\s*(?P<n>\d{{1,3}})(?:\s*(?:người|đồng\s+chí))?(?![\d.,]\d)", regex.V1)
KIND_BEFORE = [(k, regex.compile(rf"(?<!\p{{L}})(?:{alternation(ws)})(?:\s+(?:là|có|chỉ|được|quân\s+số|số\s+lượng))*\s*$", RULE_FLAGS))
               for k, ws in STAFFING_WORDS["kinds"].items()]
AVERAGE_PER = regex.compile(r"^\s*/\s*(?:xã|huyện|đơn\s+vị|phòng|tổ|cơ\s+quan)(?!\p{L})", regex.V1 | regex.I)
BODY = whole_words(STAFFING_WORDS['bodies'], regex.V1)
STOCK = whole_words(STAFFING_WORDS['stock'], RULE_FLAGS)
NOT_BEFORE_STAFF = regex.compile(rf"(?<!\p{{L}})(?:{alternation(STAFFING_WORDS['not_staff']['before'])})(?:\s+(?:khoảng|hơn|gần|thêm|tới|ít\s+nhất|tối\s+thiểu))?\s*$", regex.V1)
NOT_AFTER_STAFF = regex.compile(rf"^[\s,]*(?:\p{{L}}+\s+){{0,2}}?(?:{alternation(STAFFING_WORDS['not_staff']['after'])})(?!\p{{L}})", regex.V1 | regex.I)
THRESHOLD = regex.compile("|".join(STAFFING_WORDS["not_staff"]["threshold"]), regex.V1 | regex.I)
WORK_FRAME = regex.compile(rf"(?P<q>\d{{1,4}})\s+(?:người|học\s+viên|lao\s+động|công\s+nhân)\s+làm\s+công\s+tác\s+(?P<role>[^,.;()]{{2,60}}?)\s+(?:của|tại)\s+(?P<org>(?:Công\s+ty|Doanh\s+nghiệp|Hợp\s+tác\s+xã)[^,.;()\n]{{0,60}}|{ORG.pattern})", regex.V1)


WORK_FRAME_GATE = regex.compile(r"làm\s+công\s+tác", regex.V1)   # what every WORK_FRAME match holds
# the small patterns of the rules below, compiled once (each with the flags it was written with)
AVERAGE_WORD = regex.compile(r"(?<!\p{L})(?:bình\s+quân|trung\s+bình)(?!\p{L})", regex.V1 | regex.I)
SLASH_NEXT = regex.compile(r"^\s*/")
CAP_BEFORE = regex.compile(r"(?<!\p{L})tối\s+đa\s+(?:mỗi\s+\p{L}+\s+)?(?:có|được)\s*$", regex.V1 | regex.I)
RULE_END = regex.compile(r"[.;](?=\s|$)")
BOUND_ONLY = regex.compile(r"(?<!\s)\s*+(?:trên|dưới|từ|đến|Trên|Dưới|Từ)\s*+")   # fullmatched; linear in a finditer
YEAR_BEFORE = regex.compile(r"(?<!\p{L})năm\s*$", regex.V1 | regex.I)
PAREN_AFTER = regex.compile(r"\s*\((?P<body>[^()]*(?:\([^()]*\)[^()]*)*)\)")
UP_TO_MARK = regex.compile(r"[^,;.()]*")
A_LETTER = regex.compile(r"\p{L}")
TOTAL_OF = regex.compile(r"(?<!\p{L})tổng\s+số\s+", regex.V1 | regex.I)
STAFF_QUOTA_END = regex.compile(r"(?<!\p{L})biên\s+chế\s*$", regex.V1 | regex.I)


def _kind(text: str, q_start: int, end: int) -> str:
    before = text[max(0, q_start - 30):q_start]
    if AVERAGE_WORD.search(text[max(0, q_start - 40):q_start]) and SLASH_NEXT.match(text[end:end + 5]):
        return "average"   # 'bình quân khoảng 32 biên chế/01 cấp xã'
    if CAP_BEFORE.search(before):
        return "cap"
    for k, pat in KIND_BEFORE:
        if pat.search(before):
            return k
    if AVERAGE_PER.match(text[end:end + 20]):
        return "average"
    return "count"


def _not_staff(text: str, q_start: int, end: int, lo: int, hi: int) -> bool:
    """Thresholds of a rule, steps, kin, years, and people acted upon, moved or counted as a flow."""
    # a threshold conditions its own rule, up to the ';' that begins the next ('a) … không quá 03 người; b) có từ 07 …')
    rule_lo = clause_start(text, q_start, 400, stops=".;!?")
    rule_end = RULE_END.search(text, end, hi)
    if BOUND_ONLY.fullmatch(text[rule_lo:q_start]):
        return True   # '…; trên 60 người, bầu không quá 09 ủy viên': the bound that opens a rule
    if THRESHOLD.search(text, rule_lo, rule_end.end() if rule_end else hi) or ACTED_SENTENCE.search(text, lo, hi) \
            or _in_quoted_title(text, q_start):
        return True
    if RANGE_BEFORE.search(text[max(0, q_start - 12):q_start]) or DENSITY_AFTER.match(text, end):
        return True   # 'khoảng 110-200 người' (no one count), 'mật độ 95 người/km²'
    rest = text[end:min(hi, end + 80)]
    rest = rest[:next((i for i, c in enumerate(rest) if c.isdigit()), len(rest))]
    if AFTER_CLAUSE.search(rest):
        return True   # '18 nhân viên của đài được gửi sang đào tạo', '08 người có trình độ đại học'
    nb = NOT_BEFORE_STAFF.search(text[max(0, q_start - 30):q_start])
    if nb and not (nb.group().strip() == "cử" and SENT_TO_BODY.match(text[end:end + 60])):
        return True   # 'cử 01 cán bộ tham gia Hội đồng': the members of the body it joins, a head count
    if YEAR_BEFORE.search(text[max(0, q_start - 8):q_start]):
        return True
    clause = TIME_LEAD.sub("", text[clause_start(text, q_start, 120):q_start])
    if (ACTED_BEFORE.search(clause) and not SENT_TO_BODY.match(text[end:end + 60])) or FLOW_IN_CLAUSE.search(clause):
        return True
    if FLOW_AFTER.match(text[end:min(hi, end + 80)]):
        return True
    return bool(NOT_AFTER_STAFF.match(text[end:min(hi, end + 40)]))


STOCK_ALONE = whole_words(STAFFING_WORDS['stock_alone'], RULE_FLAGS)
PEOPLE_SENTENCE = whole_words(STAFFING_WORDS['not_staff']['people_sentence'], regex.V1 | regex.I)
ACTED_BEFORE = whole_words(STAFFING_WORDS['not_staff']['acted_before'], regex.V1 | regex.I)
# a flow, not a stock: 'số biên chế giảm … là 128.000 người', 'từ 40 người xuống 2 người', '… sẽ kết thúc nhiệm vụ'
FLOW_IN_CLAUSE = regex.compile(r"(?<!\p{L})(?:giảm|tăng|tinh\s+giản|đình\s+chỉ|nhu\s+cầu)(?!\p{L})|(?<!\p{L})từ\s*$", regex.V1 | regex.I)
FLOW_AFTER = regex.compile(r"^[^.;]{0,60}?(?<!\p{L})(?:kết\s+thúc\s+nhiệm\s+vụ|xuống\s+(?:còn\s+)?\d|nghỉ\s+việc|đình\s+công)(?!\p{L})", regex.V1 | regex.I)
AFTER_CLAUSE = whole_words(STAFFING_WORDS['not_staff']['after_clause'], regex.V1 | regex.I)
RANGE_BEFORE = regex.compile(r"\d\s*(?:triệu|nghìn|ngàn)?\s*(?:[-–]|đến|tới)\s*$", regex.V1)
ACTED_SENTENCE = whole_words(STAFFING_WORDS['not_staff']['acted_sentence'], regex.V1 | regex.I)
DENSITY_AFTER = regex.compile(r"\s*/\s*(?:km|cây\s+số|m2|m²)", regex.V1 | regex.I)
# 'Trước tinh giảm, sáp nhập, tổng biên chế … là 937.935 người': a clause that opens on the time of a change
# states the stock before or after it, not the change
TIME_LEAD = regex.compile(r"^(?:Trước|Sau|trước|sau)(?:\s+khi)?\s+[^,]{1,40},\s*", regex.V1)
SENT_TO_BODY = regex.compile(r"(?<!\s)\s*+(?:tham\s+gia|làm\s+thành\s+viên)\s+(?:Hội\s+đồng|hội\s+đồng|Tổ|tổ|Đoàn|đoàn|Ban|ban)(?!\p{L})", regex.V1)


# an 'N người' is a stock with one of these in its sentence; a cap, minimum or average also with a word of a body's size
PEOPLE_STOCK = regex.compile(r"(?<!\p{L})(?:bố\s+trí|biên\s+chế|nhân\s+sự|quân\s+số)(?!\p{L})", regex.V1 | regex.I)
PEOPLE_STOCK_BOUND = regex.compile(r"(?<!\p{L})(?:bố\s+trí|biên\s+chế|nhân\s+sự|quân\s+số|số\s+lượng|tổng\s+số|thành\s+viên)(?!\p{L})",
                                   regex.V1 | regex.I)


def _in_quoted_title(text: str, pos: int) -> bool:
    """``pos`` is inside a quoted title on its line ('^ "Bộ Ngoại giao thông tin vụ 4 cán bộ …" . Báo …'): a headline
    or a cited article, whose figures are the news of the day, not the stock of a body."""
    line_start = text.rfind("\n", 0, pos) + 1
    seg = text[max(line_start, pos - 5000):pos]
    if seg.count('"') % 2 == 1 and '"' in text[pos:pos + 200].split("\n", 1)[0]:
        return True
    return seg.rfind("“") > seg.rfind("”") and "”" in text[pos:pos + 200].split("\n", 1)[0]


def _in_total_list(text: str, found: list[Staffing], pos: int) -> bool:
    """``pos`` is inside the list that follows a head count ('145 người …, cụ thể: - Cấp tỉnh: … 04 người'):
    the list's items are parts of that total, whatever their own sentence says."""
    for t in reversed(found):
        if t.parent is None and PARTS_FOLLOW.search(text[t.end:t.end + 160]) and pos < _list_scope_end(text, t.end):
            return True
    return False


def _has_frame(text: str, lo: int, hi: int) -> bool:
    """The sentence names a body whose staff it counts and a word of a stock."""
    sent = text[lo:hi]
    return bool(((ORG.search(sent) or BODY.search(sent)) and STOCK.search(sent)) or STOCK_ALONE.search(sent))


def _role_lists(text: str) -> list[Staffing]:
    """'Trưởng đoàn: 01 người; Phó Trưởng đoàn: 01 người; Thành viên: 05 người': a total, then each role."""
    out: list[Staffing] = []
    if not any(ends_before(ROLE_LAST_WORD, text, c.start()) for c in ROLE_COLON.finditer(text)):
        return out
    items = list(LIST_ROLE.finditer(text))
    groups: list[list] = []
    for it in items:
        if groups and it.start() - groups[-1][-1].end() < 60 and not regex.search(r"\n\s*\n", text[groups[-1][-1].end():it.start()]):
            groups[-1].append(it)
        else:
            groups.append([it])
    for grp in groups:
        if len(grp) < 2:
            continue
        cs = clause_start(text, grp[0].start(), 200, stops=".;!?")
        before = text[cs:grp[0].start()]
        body = next(iter(regex.finditer(r"(?<!\p{L})(?:Đoàn|Tổ|Ban|Hội đồng|Nhóm)(?:\s+(?!gồm|có|là)[\p{L}\d-]+){0,6}", before, regex.V1)), None)
        unit = _flat(body.group()) if body else unit_in(before)
        total = sum(int(it["n"]) for it in grp)
        parent = len(out)
        out.append(Staffing(grp[0].start(), grp[-1].end(), text[grp[0].start():grp[-1].end()], total, unit, level_of(before)))
        for it in grp:
            out.append(Staffing(it.start(), it.end(), it.group(), int(it["n"]), unit, level_of(before), it["role"], parent=parent))
    return out


def _role_counts(text: str) -> bool:
    """Whether ROLE_RE can match: a role noun after a number (what stands before its whitespace ends as a QTY
    does). A text without one (all but a few of the ~5 % that name a role) skips the full pattern, which is slow at
    every position."""
    return any(ends_before(QTY_END, text, r.start()) for p in ROLE_NOUN for r in p.finditer(text))


def find_staffing(text: str) -> list[Staffing]:
    found: list[Staffing] = []
    for w in (WORK_FRAME.finditer(text) if WORK_FRAME_GATE.search(text) else ()):   # 'cho 03 học viên làm công tác Người quản lý … của Công ty X'
        found.append(Staffing(w.start("q"), w.end("org"), text[w.start("q"):w.end("org")], int(w["q"]), _flat(w["org"]),
                              "doanh nghiệp" if regex.match(r"Công\s+ty", w["org"]) else level_of("", _flat(w["org"])),
                              _flat(w["role"])))
    worked = [(s.start, s.end) for s in found]
    listed = _role_lists(text)
    for m in sorted(list(anchored(STAFF_RE, (STAFF_NOUN_LOWER, STAFF_NOUN), text, after=QTY_END)) + list(ROLE_RE.finditer(text) if _role_counts(text) else ()), key=lambda x: x.start()):
        q = _quantity(m.start("q"), m["q"])
        if q is None or q.end != m.end("q") or q.value != int(q.value) or q.value <= 0:
            continue
        if (found and q.start < found[-1].end) or any(a <= q.start < b for a, b in worked):
            continue
        role_noun = m.re is ROLE_RE
        lo, hi = sentence_bounds(text, q.start, m.end())
        if role_noun and not (found and found[-1].parent is None and PARTS_FOLLOW.search(text[found[-1].end:m.end()])):
            continue   # 'Phó Trưởng phòng' counts only inside the list of a total
        listed_part = _in_total_list(text, found, q.start)
        if not role_noun and not listed_part and not _has_frame(text, lo, hi) \
                and not SENT_TO_BODY.match(text[m.end():m.end() + 60]):
            continue   # (before the dearer _not_staff: both only reject, and this one rejects more)
        if STAFF_NOT_BEFORE.search(text[max(0, q.start - 30):q.start]) or _not_staff(text, q.start, m.end(), lo, hi):
            continue
        kind = _kind(text, q.start, m.end())
        if m["noun"].lower() == "người" and not listed_part and (PEOPLE_SENTENCE.search(text, lo, hi) or (
                not STAFF_CUE.search(text, lo, hi)
                and not (PEOPLE_STOCK if kind == "count" else PEOPLE_STOCK_BOUND).search(text, lo, hi))):
            continue   # 'có ít nhất hai người làm chứng', 'Mỗi du thuyền chở tối đa 36 người': people, not a body's staff
            continue
        end = m.end()
        # what follows: '(chuyên trách: 18, kiêm nhiệm: 19)', '(là biên chế …)', 'chuyên trách'
        after = text[end:min(hi, end + 120)]
        paren = PAREN_AFTER.match(after)
        tail = paren["body"] if paren else UP_TO_MARK.match(after).group()
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
            cm = CATEGORY_WORD.search(tail[:40])
            if cm:
                category = CATEGORY[WS.sub(" ", cm.group().lower())]
            elif m["noun"].lower() != "người" and m["noun"].lower() in CATEGORY:
                category = CATEGORY[m["noun"].lower()]
        cs = clause_start(text, q.start, 200, stops=".;!?(")
        for _ in range(3):
            # 'Toàn ngành có 14 đơn vị trực thuộc Sở Y tế (trong đó, …) với khoảng hơn 2.000 cán bộ': an aside closed
            # before the number belongs to the clause
            opened = _opening_paren(text, cs, q.start)
            if opened is None:
                break
            cs = clause_start(text, opened, 200, stops=".;!?(")
        before = text[cs:q.start]
        if "|" in before:   # a table cell: only its own text
            before = before.rsplit("|", 1)[-1]
        before = ASIDE.sub(" ", before)   # '… Sở Y tế (trong đó, … 08 Trung tâm Y tế các huyện) với khoảng hơn'
        lead = _list_item_lead(text, q.start)
        if cs > 0 and text[cs - 1] == "(" and not _trim_unit(STOCK_NOUN.sub("", TRAILING.sub("", before))).strip():
            # '1 tiểu đoàn cơ động (quân số 1.122 người)': the body stands before the parenthesis
            paren_at = cs - 1
            cs = clause_start(text, paren_at, 200, stops=".;!?(")
            before = regex.split(r",\s*|\s+và\s+", text[cs:paren_at])[-1]
        prev_lo = clause_start(text, max(0, lo - 2), 800, stops=".!?") if lo > 1 else lo
        unit = _staff_unit(before, tail if paren else "", text[prev_lo:lo])
        if unit is None and not listed_part:
            continue   # no body named in the clause or as the subject of the sentence before: whose staff is unknown
        level = level_of(before, None) or level_of(lead) or level_of("", unit) or (level_of(tail) if paren else None) \
            or (level_of(text[end:end + 20]) if kind == "average" else None)   # 'bình quân 32 biên chế/01 cấp xã' 
        found.append(Staffing(q.start, m.end(), text[q.start:m.end()], int(q.value), unit, level, category, full, part,
                              kind=kind))
    if listed:
        spans = [(s.start, s.end) for s in listed]
        found = [s for s in found if not any(a <= s.start < b for a, b in spans)]
        base = len(found)
        found += [s if s.parent is None else replace(s, parent=s.parent + base) for s in listed]
        found.sort(key=lambda s: s.start)   # role lists are kept in text order; their parent index follows
        return _relink(found, listed, base)
    return _link_parts(text, found)


def _relink(found: list[Staffing], listed: list[Staffing], base: int) -> list[Staffing]:
    pos = {(s.start, s.end, s.count, s.category): i for i, s in enumerate(found)}
    out = []
    for s in found:
        if s.parent is not None and any(s is x for x in found):
            tot = listed[s.parent - base] if 0 <= s.parent - base < len(listed) else None
            s = replace(s, parent=pos.get((tot.start, tot.end, tot.count, tot.category)) if tot else None)
        out.append(s)
    return out


UNIT_TRAILING = regex.compile(rf"(?:(?<!\s)\s+|^)(?:{alternation(STAFFING_WORDS['unit_trailing'])})\s*[:,]?\s*$", regex.V1 | regex.I)
UNIT_LEADING = regex.compile(rf"^(?:[a-zđ]\)|[-+•*–]|\d+[.)])?\s*(?:{alternation(STAFFING_WORDS['unit_leading'])})(?:\s+(?:được\s+)?giao)?(?:\s+(?:của|cho))?\s+(?=\S)",
                             regex.V1 | regex.I)
STOCK_NOUN = regex.compile(r"(?<!\p{L})(?:tổng\s+)?(?:quân\s+số|số\s+lượng)(?:\s+(?:của|cho))?(?!\p{L})", regex.V1 | regex.I)
UNIT_BODY = whole_words(STAFFING_WORDS['unit_bodies'], regex.V1)
BODY_PHRASE = regex.compile(rf"(?<!\p{{L}})(?i:{alternation(STAFFING_WORDS['unit_bodies'])})(?!\p{{L}})(?!\s+chức(?!\p{{L}}))"
                          rf"(?:\s+(?!(?:{alternation(STAFFING_WORDS['unit_stop'])})(?!\p{{L}}))[\p{{L}}\d&-]+){{0,6}}",
                          regex.V1)
# '9 tháng đầu năm, nâng lượng nhân viên lên': a time left over from the clause, not a body
TIME_UNIT = regex.compile(r"(?<!\d)\d+\s+(?:tháng|năm|ngày|quý|tuần)(?!\p{L})", regex.V1 | regex.I)
BARE_UNIT = regex.compile(rf"(?:{alternation(STAFFING_WORDS['cues'] + STAFFING_WORDS['stock_alone'] + STAFFING_WORDS['unit_leading'])})",
                          regex.V1 | regex.I)
UNIT_LEAD_WORDS = regex.compile(r"^(?:(?:[a-zđ]\)|\d+[.)]|[-+•]|Đối\s+với|đối\s+với|Hiện\s+nay|hiện\s+nay|Tính\s+đến\s+(?:ngày\s+)?[\d/]+(?:\s+tháng\s+\d+)?(?:\s+năm\s+\d{4})?|Trong|trong|với|Với|của|tại|Tại)(?:\s*,?\s+|\s*$))+", regex.V1)
CUE_GAP = regex.compile(r"\s*(?:,|và)?\s*", regex.V1)


def _trim_unit(s: str) -> str:
    """The unit without the words that link it to the number ('… sử dụng trên', 'Quân số của …', 'a) ')."""
    s = _flat(s.rsplit("]", 1)[-1] if _flat(s.rsplit("]", 1)[-1]) else s)   # '[sửa | sửa mã nguồn]Hiện nay, toàn Viện'
    s = _flat(UNIT_LEAD_WORDS.sub("", TIME_LEAD.sub("", s)))
    for _ in range(6):
        s2 = _flat(UNIT_TRAILING.sub("", s))
        if s2 == s:
            break
        s = s2
    s2 = _flat(UNIT_LEADING.sub("", s))
    return s2 or s


ASIDE = regex.compile(r"\([^()]*\)")


def _opening_paren(text: str, lo: int, hi: int, limit: int = 1500) -> int | None:
    """Where the '(' closed inside ``text[lo:hi]`` but opened before ``lo`` stands, or None."""
    depth = 0
    for c in text[lo:hi]:
        depth += (c == "(") - (c == ")")
        if depth < 0:
            break
    else:
        return None
    depth = -1
    for i in range(lo - 1, max(-1, lo - limit), -1):
        depth += (text[i] == "(") - (text[i] == ")")
        if depth == 0:
            return i
    return None


def _unit(s: str) -> str | None:
    u = _trim_unit(_cut(_trim_unit(s), 90))
    return u if A_LETTER.search(u) else None   # '2009' is a date left over, not a body


def _body_phrase(s: str, last: bool = True) -> str | None:
    """The last (or first) body named in ``s`` with its name: 'Sư đoàn Ngự Bình', 'quân đội tư nhân', 'Sở Y tế'."""
    found = sorted(list(BODY_PHRASE.finditer(s)) + list(ORG.finditer(s)), key=lambda m: (m.start(), -m.end()))
    if not found:
        return None
    return _unit((found[-1] if last else found[0]).group())


def _staff_unit(before: str, paren: str, prev: str = "") -> str | None:
    """Who the head count belongs to: the staff described before the number, else the body named; a bare word
    of staff ('Số lượng', 'nhân sự', 'biên chế') gives way to the body named in the clause or the sentence before."""
    u = _described_unit(before, paren)
    if u and not BARE_UNIT.fullmatch(u) and not TIME_UNIT.match(u):
        return u
    clause = _flat(before)
    prev = _flat(prev.rsplit("]", 1)[-1])
    subject = _body_phrase(prev[:60], last=False)   # 'Hội đồng xét hủy … thành lập. Số lượng tối thiểu 05 người'
    return _body_phrase(clause) or (subject if subject and prev.startswith(subject.split()[0]) else None)


def _described_unit(before: str, paren: str) -> str | None:
    clause = _flat(TRAILING.sub("", _flat(before)))
    tm = TOTAL_OF.search(clause)
    if tm:
        return _unit(clause[tm.end():])
    cues = list(STAFF_CUE.finditer(clause))
    if cues:
        k = len(cues) - 1
        while k > 0 and CUE_GAP.fullmatch(clause[cues[k - 1].end():cues[k].start()]):
            k -= 1  # 'cán bộ, công chức pháp chế': the run of staff words, from its first
        at = cues[k].start()
        org = next((o for o in ORG.finditer(clause) if o.start() <= at < o.end()), None)
        head = clause[:at]
        if not org and STAFF_QUOTA_END.search(head):
            at = STAFF_QUOTA_END.search(head).start()
        return _unit(clause[org.start() if org else at:])
    sn = list(STOCK_NOUN.finditer(clause))
    if sn and _trim_unit(clause[sn[-1].end():]):
        return _unit(clause[sn[-1].end():])   # 'Quân số của Tổng cục … hơn'
    if sn:   # 'quân đội thường trực của đế quốc có quân số hơn': the body is the subject before the stock noun
        head = regex.split(r"[;,\]]\s*", clause[:sn[-1].start()])[-1]
        if len(head.split()) > 6:
            head = _body_phrase(head) or head   # 'Sư đoàn Ngự Bình) ở lại bảo vệ Huế nên quân số …'
        if _trim_unit(head):
            return _unit(head)
    found = unit_in(clause)
    if found:
        return _trim_unit(found)
    first = next(iter(ORG.finditer(paren)), None)
    if first:
        return _flat(first.group())
    body = list(UNIT_BODY.finditer(clause))   # 'mỗi ca trực tại bộ phận …': the last body named, to the number
    return _unit(clause[body[-1].start():] if body else clause)


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
                part = out[j]
                if clause_start(text, part.start, 200, stops=".;!?(") <= s.start:
                    # '937.935 người, trong đó có 37.447 cán bộ, 130.705 công chức': the parts of the total's body
                    part = replace(part, unit=s.unit, level=part.level or s.level)
                out[j] = replace(part, parent=i)
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

"""Deadlines: dates by which something is due (a day, a month, or recurring every year)."""
from __future__ import annotations

import re

import regex
from .. import patterns as P
from ..dates import to_date
from ..models import Deadline
from ..numbers import plain_starts
from ..vocab import whole_words
from .context import RULE_FLAGS, ORG, WORDS, alternation, _flat, clause_start


DEADLINE_WORDS = WORDS["deadlines"]
DAYMONTH = r"(?P<d3>\d{1,2})\s*(?:/|-|\s+tháng\s+)\s*(?P<m3>\d{1,2})(?![\d/])(?!\s*(?:/|năm)\s*\d)"
RECUR = rf"(?P<rec>\s*,?\s*(?:{alternation(DEADLINE_WORDS['recurring'])}))?"
QNUM = r"(?:IV|III|II|I|[1-4])(?![\p{L}\d])"
QUARTER = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
DEADLINE = regex.compile(
    rf"""(?<!\p{{L}})(?P<cue>{alternation(DEADLINE_WORDS['cues'])})\s*:?\s+(?:vào\s+)?(?:(?:hết\s+)?ngày\s*)?
         (?:{P.DATE}|{DAYMONTH}){RECUR}
       | (?<!\p{{L}})(?P<cue2>đến\s+(?:hết\s+)?ngày)\s*(?:{P.DATE.replace('?P<', '?P<x_')}|{DAYMONTH.replace('?P<', '?P<x_')})
         (?P<rec2>\s*,?\s*(?:{alternation(DEADLINE_WORDS['recurring'])}))
       | (?<!\p{{L}})(?P<qcue>(?:(?:hoàn\s+thành|xong)\s+)?(?:trong|trước|hết|đến\s+hết|vào)\s+)?
         (?P<qfrom>từ\s+quý\s+{QNUM}\s*(?:/|năm)\s*\d{{4}}\s*(?:đến|tới|-|–)\s*)?
         quý\s+(?P<q>{QNUM})(?:\s*(?:và|,|-|–|đến)\s*quý\s+(?P<q2>{QNUM}))?\s*(?:/|năm)\s*(?P<qy>\d{{4}})(?!\d)
       | (?<!\p{{L}})(?P<mcue>(?:(?:dự\s+kiến\s+)?(?:hoàn\s+thành|xong|thực\s+hiện\s+xong)\s+(?:trong\s+|vào\s+|trước\s+)?
                      |trong\s+|trước\s+|chậm\s+nhất\s+(?:trong\s+|vào\s+)?
                      |(?:{alternation(DEADLINE_WORDS['time_labels'])})\s*:\s*(?:trong\s+)?))?tháng\s+(?P<mm>\d{{1,2}})
         (?:\s*(?:/|năm)\s*(?P<my>\d{{4}})|(?P<mrec>\s+(?:{alternation(DEADLINE_WORDS['recurring'])})))
    """, RULE_FLAGS)
# Where a DEADLINE match can start, found by the stdlib engine over the lower-cased text (same offsets when
# lowering keeps the length; else the same pattern ignoring case over the text itself), far faster than
# DEADLINE can reject every other position: each branch starts with a word no letter precedes, and that word
# is kept only where what DEADLINE needs after it follows (the branch up to its first digit: a prefix of a
# match, so no start is lost).  Only the first word is consumed: the next one can start right after it.
# A month with neither a cue nor 'hằng năm' ('ngày 20 tháng 6 năm 2026' read from its 'tháng') is no start:
# find_deadlines never reads one (see _bare_month), and no other start stands inside one.
def _alt(phrases) -> str:
    return "|".join(r"\s+".join(map(re.escape, p.lower().split())) for p in sorted(phrases, key=len, reverse=True))


def _starts(entries) -> str:
    """(phrase, what follows it) pairs: the phrases' first words, each with the lookahead of its continuations."""
    rests: dict[str, list[str]] = {}
    for phrase, tail in entries:
        first, *more = phrase.lower().split()
        rests.setdefault(first, []).append("".join(r"\s+" + re.escape(w) for w in more) + tail)
    return "|".join(f"{re.escape(w)}(?=(?:{'|'.join(rs)}))" for w, rs in sorted(rests.items(), key=lambda kv: -len(kv[0])))


_Q = r"(?:từ\s+)?quý\s+[iv1-4]"                                  # quý I / từ quý I … đến quý III
_QCUE = r"(?:trong|trước|hết|đến\s+hết|vào)\s+"
_M = r"(?:trong\s+|vào\s+|trước\s+)?tháng\s+\d"                 # after hoàn thành / xong
DEADLINE_START = re.compile(_starts(
    [(cue, r"\s*:?\s+(?:vào\s+)?(?:(?:hết\s+)?ngày\s*)?\d") for cue in DEADLINE_WORDS['cues']]          # cue + date
    + [("đến", r"\s+(?:hết\s+)?ngày\s*\d")]                                                           # đến hết ngày
    + [(w, r"\s+" + _QCUE + _Q) for w in ("hoàn thành", "xong")]                                        # quarters
    + [(w, r"\s+" + _Q) for w in ("trong", "trước", "hết", "vào", "đến hết")]
    + [("từ", r"\s+quý\s+[iv1-4]"), ("quý", r"\s+[iv1-4]")]
    + [("dự kiến", r"\s+(?:hoàn\s+thành|xong|thực\s+hiện\s+xong)\s+" + _M)]                          # months
    + [(w, r"\s+" + _M) for w in ("hoàn thành", "xong", "thực hiện xong")]
    + [(w, r"\s+tháng\s+\d") for w in ("trong", "trước")] + [("chậm nhất", r"\s+(?:trong\s+|vào\s+)?tháng\s+\d")]
    + [(label, r"\s*:\s*(?:trong\s+)?tháng\s+\d") for label in DEADLINE_WORDS['time_labels']]
    + [("tháng", rf"\s+\d{{1,2}}\s+(?:{_alt(DEADLINE_WORDS['recurring'])})")]))
DEADLINE_START_ANY_CASE = re.compile(DEADLINE_START.pattern, re.I)


def _bare_month(m) -> bool:
    """A month of DEADLINE with neither a cue nor 'hằng năm' before or after it: a date, never a deadline."""
    return m["mm"] is not None and not m["mcue"] and not m["mrec"]


def deadline_matches(text: str):
    """``DEADLINE.finditer(text)`` but its bare months (:func:`_bare_month`), tried only where a match can start."""
    end = 0
    for c in plain_starts(text, DEADLINE_START, DEADLINE_START_ANY_CASE):
        if c.start() < end:
            continue
        m = DEADLINE.match(text, c.start())
        if m:
            end = m.end()
            if not _bare_month(m):
                yield m


DL_NOT_BEFORE = regex.compile(rf"(?<!\p{{L}})(?:{alternation(DEADLINE_WORDS['not_before'])})\s*(?:từ\s+)?$", RULE_FLAGS)
OBLIGATION = regex.compile(rf"(?<!\p{{L}})(?:{alternation(DEADLINE_WORDS['obligation'])}|tổ\s+chức)(?!\p{{L}})", regex.V1 | regex.I)
# the obligations a sentence about an event can still carry ('xây dựng kịch bản Lễ kỷ niệm, trình … trong tháng 6')
TASK_NOT_EVENT = whole_words(DEADLINE_WORDS['obligation'], regex.V1 | regex.I)
PERIOD_NOT = whole_words(DEADLINE_WORDS['period_not'], regex.V1 | regex.I)
CUTOFF_BEFORE = regex.compile(rf"(?<!\p{{L}})(?:{alternation(DEADLINE_WORDS['cutoff_before'])})\s*(?:từ\s+)?$", regex.V1 | regex.I)
# 'đã' governing the deadline's own verb ('đã hoàn thành trong tháng'), not any 'đã' in the sentence
DONE_BEFORE = regex.compile(r"(?<!\p{L})đã(?:\s+\S+){0,2}\s*$", regex.V1 | regex.I)
BARE_BEFORE = regex.compile(r"^(?:trước|trước\s+vào)$", regex.V1 | regex.I)
PERIOD_OF = regex.compile(rf"(?<!\p{{L}})(?i:{alternation(DEADLINE_WORDS['period_of'])})(?:\s+[A-ZĐ]{{2,6}})?\s*$", regex.V1)
YEARLY_TASK = whole_words(DEADLINE_WORDS['obligation'] + DEADLINE_WORDS['yearly_tasks'], regex.V1 | regex.I)
# a directive after the clause's 'đã'; 'đơn yêu cầu', 'nhận được yêu cầu' are nouns, not directives
DIRECTIVE = regex.compile(rf"(?<!\p{{L}})(?<!đơn\s)(?<!được\s)(?:{alternation(DEADLINE_WORDS['directives'])})(?!\p{{L}})", regex.V1 | regex.I)
CUTOFF_SPAN = whole_words(DEADLINE_WORDS['cutoff_spans'], regex.V1 | regex.I)
FUTURE = regex.compile(r"(?<!\p{L})(?:sẽ|dự\s+kiến|phấn\s+đấu|kế\s+hoạch|phải|cần|mục\s+tiêu)(?!\p{L})", regex.V1 | regex.I)
EVENT = whole_words(DEADLINE_WORDS['event'], regex.V1 | regex.I)
# the last 'đã' of a clause: what follows it happened already, unless an obligation follows it too
PAST = regex.compile(r"(?<!\p{L})(?P<state>đã\s+được|đã|đang)(?!\p{L})", regex.V1 | regex.I)
CUTOFF_AFTER = regex.compile(rf"(?<!\s)\s*+[,)]?\s*+(?:{alternation(DEADLINE_WORDS['cutoff_after'])})(?!\p{{L}})", regex.V1 | regex.I)
TIME_LABEL_ONLY = regex.compile(rf"(?:{alternation(DEADLINE_WORDS['time_labels'])})\s*:?", regex.V1 | regex.I)
TIME_LABEL = regex.compile(rf"(?:{alternation(DEADLINE_WORDS['time_labels'])})\s*:", regex.V1 | regex.I)
WHO_ACTS = regex.compile(rf"(?P<who>{ORG.pattern})\s+(?:chủ\s+trì|có\s+trách\s+nhiệm|khẩn\s+trương|tổng\s+hợp|"
                         r"báo\s+cáo|gửi|hoàn\s+thành|ban\s+hành|thực\s+hiện|rà\s+soát|xây\s+dựng)", regex.V1)
WHO_LEAD = regex.compile(r"^(?:[-+•*–]\s*|\d+\.\s*|[a-zđ]\)\s*)?(?:Giao\s+|Đề\s+nghị\s+|Yêu\s+cầu\s+|Các\s+)?", regex.V1)


def find_deadlines(text: str) -> list[Deadline]:
    out: list[Deadline] = []
    seen: set[tuple] = set()
    for m in deadline_matches(text):
        g = m.groupdict()
        recurring = None
        precision = "day"
        due = None
        if g["q"]:
            cs = clause_start(text, m.start(), 200, stops=".;!?")
            clause = text[cs:m.start()] + (g["qcue"] or "")
            label = clause.rsplit(":", 1)[0] if ":" in clause else clause
            ob, pn = OBLIGATION.search(clause), PERIOD_NOT.search(label)
            near = " ".join(text[cs:m.start()].split()[-6:])
            if not ob or (pn and not (OBLIGATION.search(label) and OBLIGATION.search(label).start() < pn.start())) \
                    or DONE_BEFORE.search(text[max(0, m.start() - 40):m.start()]) \
                    or regex.search(r"(?<!\p{L})đã(?!\p{L})", label[-60:]) \
                    or (not g["qcue"] and not g["qfrom"] and not text[cs:m.start()].rstrip().endswith(":") and not OBLIGATION.search(near)):
                continue
            if not g["qcue"] and not g["qfrom"] and PERIOD_OF.search(text[max(0, m.start() - 30):m.start()]):
                continue   # 'tờ khai thuế kỳ Quý 3 năm 2024': the period a return covers
            qn = QUARTER[(g["q2"] or g["q"]).upper()]
            year = int(g["qy"])
            if year < 2000:
                continue
            nxt = to_date(1, 1, year + 1) if qn == 4 else to_date(1, 3 * qn + 1, year)
            due = nxt.fromordinal(nxt.toordinal() - 1)
            precision = "quarter"
        elif g["mm"]:
            month = int(g["mm"])
            if not 1 <= month <= 12:
                continue
            if g["mrec"]:
                clause = text[clause_start(text, m.start(), 200):m.start()]
                if regex.search(r"(?<!\p{L})ngày\s+\d{1,2}\s*$", clause, regex.V1 | regex.I) \
                        or EVENT.search(clause) or not YEARLY_TASK.search(clause):
                    continue   # 'Ngày Nhà giáo … ngày 20 tháng 11 hàng năm', 'lễ hội … tháng 8 hàng năm': an event
                recurring, precision = f"--{month:02d}", "month"
            else:
                cs = clause_start(text, m.start(), 200)
                clause = text[cs:m.start()]
                cue = g["mcue"] or ""
                bare_done = regex.fullmatch(r"(?:hoàn\s+thành|xong|thực\s+hiện\s+xong)\s+", cue, regex.V1 | regex.I)
                if not (cue and (regex.search(r"hoàn\s+thành|xong", cue, regex.V1 | regex.I) or TIME_LABEL.search(cue)
                                 or OBLIGATION.search(clause))) \
                        or (bare_done and not (FUTURE.search(clause) or OBLIGATION.search(clause) or clause.strip() == ""
                                               or clause.rstrip().endswith((":", "|")))) \
                        or DONE_BEFORE.search(text[max(0, m.start() - 40):m.start()]) \
                        or (not cue and PERIOD_OF.search(text[max(0, m.start() - 30):m.start()])) \
                        or (EVENT.search(clause) and not TASK_NOT_EVENT.search(clause)):   # 'các ngày lễ trong tháng 11' 
                    continue
                year = int(g["my"])
                if year < 2000:
                    continue   # 'trong tháng 8 năm 1975': history, not a deadline
                nxt = to_date(1, month % 12 + 1, year + (month == 12))
                if nxt is None:
                    continue
                due = nxt.fromordinal(nxt.toordinal() - 1)
                precision = "month"
        else:
            cue_start = m.start("cue") if g["cue"] else m.start("cue2")
            if DL_NOT_BEFORE.search(text[max(0, cue_start - 30):cue_start]):
                continue
            if g["cue"] and BARE_BEFORE.match(g["cue"].strip()):
                # a bare 'trước ngày X' is due only with an obligation in its clause, not after a state ('được cấp trước')
                clause = text[clause_start(text, cue_start, 200, stops=".;!?"):cue_start]
                cell = regex.search(r"(?:^|\n\n|\|)\s*$", text[max(0, cue_start - 4):cue_start])  # a time column's cell
                past = list(PAST.finditer(clause))
                if CUTOFF_BEFORE.search(text[max(0, cue_start - 30):cue_start]) or not (cell or OBLIGATION.search(clause)) \
                        or (past and not _acts_after(clause, past[-1])) or CUTOFF_SPAN.search(clause) \
                        or CUTOFF_AFTER.match(text, m.end()):
                    continue   # '… mà Tòa án đã nhận đơn … trước ngày 01/7/2025': a cut-off of what happened
            day, month, year = _dmy(g)
            if not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            rec = g["rec"] or g.get("rec2")
            if g["cue2"] and (not OBLIGATION.search(text[clause_start(text, cue_start, 200):cue_start])
                              or regex.search(r"(?<!\p{L})từ\s+ngày", text[max(0, cue_start - 50):cue_start], regex.V1 | regex.I)):
                continue   # 'từ ngày 01/11 đến hết ngày 31/12 hằng năm': the end of a period
            if year is None and not rec:
                # no year and no 'hằng năm': the year of the last full date of the paragraph before it, when there is one
                para = text[max(0, text.rfind("\n\n", 0, cue_start)):cue_start]
                sent = text[clause_start(text, cue_start, 300, stops=".!?"):cue_start]
                years = [a or b for a, b in regex.findall(r"(?<![\d/])\d{1,2}\s*[/-]\s*\d{1,2}\s*[/-]\s*((?:19|20)\d\d)(?!\d)"
                                                        r"|tháng\s+\d{1,2}\s+năm\s+((?:19|20)\d\d)", para, regex.V1 | regex.I)]
                yearly = regex.search(rf"(?<!\p{{L}})(?:{alternation(DEADLINE_WORDS['recurring'])}|định\s+kỳ)(?!\p{{L}})", sent, regex.V1 | regex.I)
                year = int(years[-1]) if years and not yearly else None
            if year is not None and year < 2000:
                continue   # 'trước ngày 01 tháng 7 năm 1991': a cut-off of past facts
            if year is None and not rec and not regex.search(r"ngày", m.group(), regex.V1 | regex.I):
                continue  # '1/5' without 'ngày', a year or 'hằng năm' is a fraction, not a day and month
            if year is None or rec:
                recurring = f"--{month:02d}-{day:02d}"   # a day-month with no year anywhere near: read as every year
            else:
                due = to_date(day, month, year)
                if due is None:
                    continue
        if _in_question(text, m.end()):
            continue   # '… trước 15/12/2025 hay không?': a question about a deadline, not one
        what, who = _what_who(text, m.start())
        line = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
        key = (due, recurring, _task_key(what))
        if key[2] and key in seen and len(line.split()) <= 15:
            continue   # a title's task and date again in a short line (its summary, a picture's caption): one row
        seen.add(key)
        out.append(Deadline(m.start(), m.end(), m.group(), due, recurring, precision, what, who))
    return out


def _acts_after(clause: str, past) -> bool:
    """Whether the clause still asks for an act after its last 'đã' / 'đang' / 'đã được': a directive after
    'đã' ('đã yêu cầu các tỉnh hoàn thành'), an obligation after 'đang' ('đang khẩn trương hoàn thành');
    after 'đã được' the verb is what was done ('đã được cấp có thẩm quyền quyết định … trước ngày')."""
    state = regex.sub(r"\s+", " ", past.group("state").lower())
    if state == "đã được":
        return False
    return bool((DIRECTIVE if state == "đã" else OBLIGATION).search(clause, past.end()))


def _task_key(what: str | None) -> str:
    """The last words of a deadline's task, folded: two mentions of one task and date share it.  Only a
    short line repeating one is dropped: items of a list may share their task's words (each cluster of a
    list 'dự kiến trình UBND tỉnh quyết định thành lập trong Quý III/2026') and are rows of their own."""
    if (what or "").rstrip().endswith(":") or TIME_LABEL_ONLY.fullmatch((what or "").strip()):
        return ""   # 'Thời gian hoàn thành:': a label whose task is the line before, not a task of its own
    words = regex.findall(r"\p{L}+", (what or "").lower())
    return " ".join(words[-6:]) if len(words) >= 3 else ""


def _in_question(text: str, end: int) -> bool:
    nxt = regex.search(r"[.!?;\n]", text[end:end + 160])
    return bool(nxt and nxt.group() == "?") or bool(regex.search(r"(?:Đơn\s+cử|Thông\s+tin\s+về|tin\s+đồn)[^.?!\n]{0,120}$",
                                                                 text[max(0, end - 160):end], regex.V1 | regex.I))


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

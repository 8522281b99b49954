"""Budget: amounts of money in running text and in table cells, in đồng, with what each amount is
(``kind``, from ``vocab/budget_kinds.yaml``) and whether it is a stated total or a part (``role``, ``parent``)."""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import replace

import regex
from .. import grids as G
from .. import vocab
from ..models import Budget
from ..numbers import NUMBER_WORDS, find_money, lowered
from ..vocab import alternation
from .context import _list_item_lead, _purpose, clause_start, level_of, sentence_bounds, unit_in

FLAGS = regex.V1 | regex.I


@functools.cache
def kind_words() -> dict:
    return vocab.load("budget_kinds.yaml")


@functools.cache
def _kind_patterns() -> list[tuple[str, regex.Pattern]]:
    kw = kind_words()
    return [(k, regex.compile(rf"(?<![\p{{L}}\d])(?:{alternation([t['w'] for t in kw['kinds'][k]['triggers'] if not t.get('only_with_per')])})(?!\p{{L}})", FLAGS))
            for k in kw["order"]]


def _fold(s: str) -> str:
    return " ".join(s.casefold().split())


@functools.cache
def _kind_literals() -> dict[str, re.Pattern]:
    """Each kind's triggers (those of :func:`_kind_patterns`), the currencies of an exchange rate and the words of old
    money, case-folded with one space between their words, as one literal scan each (to run over :func:`_fold`'s
    text): a context whose folded words hold none of them cannot match the pattern built from them, not run then."""
    kw = kind_words()
    words = {k: [t["w"] for t in kw["kinds"][k]["triggers"] if not t.get("only_with_per")] for k in kw["order"]}
    words.update(exchange=kw["exchange_before"]["currency"], old_money=kw["old_money"]["words"])
    return {k: re.compile("|".join(sorted({re.escape(_fold(w)) for w in ws}))) for k, ws in words.items()}


@functools.cache
def _not_triggers() -> regex.Pattern:
    ws = [t["w"] for t in kind_words()["not_triggers"]]
    words, marks = [w for w in ws if w[0].isalpha()], [w for w in ws if not w[0].isalpha()]   # '% dự toán' follows a digit
    return regex.compile(rf"(?:(?<![\p{{L}}\d])(?:{alternation(words)})|(?:{alternation(marks)}))(?![\p{{L}}\d])", FLAGS)


@functools.cache
def _baseline_before() -> regex.Pattern:
    """'… tăng 10% so cùng kỳ (' just before an amount: the year-before figure a change is measured against."""
    return regex.compile(rf"(?<!\p{{L}})(?:{alternation(kind_words()['baseline_before'])})(?:\s+\d{{4}})?\s*[*_]*\(\s*[*_]*$", FLAGS)


@functools.cache
def _realised_after() -> regex.Pattern:
    """', đạt 102,70% dự toán' right after an amount: a realisation measured against the plan."""
    w = kind_words()["realised_after"]
    return regex.compile(rf"[\s,;]*(?:\[\d+\]\s*)?(?<!\p{{L}})(?:ước\s+)?(?:{alternation(w['measured'])})\s+(?:khoảng\s+)?"
                         rf"[\d.,]+\s*%\s*(?:so\s+(?:với\s+)?)?(?:{alternation(w['plan'])})(?!\p{{L}})", FLAGS)


@functools.cache
def _rule_after() -> regex.Pattern:
    return regex.compile(rf"(?<!\p{{L}})(?:{alternation(kind_words()['rule_after'])})(?!\p{{L}})", FLAGS)


@functools.cache
def _per_only() -> regex.Pattern | None:
    """Rate triggers that count only beside a per ('nhận trợ cấp 500.000 đồng/tháng'; 'chi trợ cấp 10 tỷ đồng' is not a norm)."""
    ws = [t["w"] for t in kind_words()["kinds"]["rate"]["triggers"] if t.get("only_with_per")]
    return regex.compile(rf"(?<![\p{{L}}\d])(?:{alternation(ws)})(?!\p{{L}})", FLAGS) if ws else None


def _words_re(words: list[str]) -> str:
    return rf"(?:{alternation(words)})(?!\p{{L}})"


@functools.cache
def _rule_patterns() -> dict[str, regex.Pattern]:
    """The rules of the vocabulary read on the words just before an amount: a cap, a criminal rule's clause,
    a criterion ('có doanh thu trên'), an exchange rate ('một đô la Mỹ tương đương với')."""
    kw = kind_words()
    th, ex = kw["threshold_before"], kw["exchange_before"]
    return {
        "cap": regex.compile(rf"(?<!\p{{L}}){_words_re(kw['cap_before']['words'])}\s*:?\s*$", FLAGS),
        "fine_after": regex.compile(rf"[\s*_]*[,;]?\s*(?<!\p{{L}}){_words_re(kw['fine_after']['words'])}", FLAGS),
        "rule": regex.compile(rf"(?<!\p{{L}}){_words_re(kw['rule_before']['words'])}", FLAGS),
        "threshold": regex.compile(rf"(?<!\p{{L}}){_words_re(th['words'])}(?P<mid>[^\d.;:]{{0,50}}?)"
                                   rf"(?<!\p{{L}}){_words_re(th['compare'])}\s*$", FLAGS),
        "report": regex.compile(rf"(?<!\p{{L}}){_words_re(th['not_between'])}", FLAGS),
        "exchange": regex.compile(rf"(?<![\p{{L}}\d]){_words_re(ex['one'])}\s*{_words_re(ex['currency'])}[^\d.;]{{0,20}}?"
                                  rf"(?:(?<!\p{{L}}){_words_re(ex['link'])}|=)(?:\s+khoảng)?\s*$", FLAGS),
    }


# a year: after 'năm', 'từ', 'đến', 'thời', 'khoảng' or '(', or in a span '1434-1439'
YEAR = regex.compile(r"(?:(?<!\p{L})(?:năm|từ|đến|thời|khoảng)\s+|\(\s*)(?P<y>1\d{3})(?![\d.,]\d|\s*(?:đồng|tỷ|triệu|nghìn|ngàn|%))"
                     r"|(?<![\d.,])(?P<y>1\d{3})\s*[-–]\s*1\d{3}(?![\d.,]\d)", regex.V1 | regex.I)


@functools.cache
def _old_money_words() -> regex.Pattern:
    return regex.compile(rf"(?<!\p{{L}}){_words_re(kind_words()['old_money']['words'])}", FLAGS)


def old_money(sentence: str, paragraph: str = "") -> bool:
    """A sentence of a history narrative, whose đồng is no modern money: it names a year before ``before_year``
    or a word of old money ('thông bảo', 'tiền kẽm', 'nhà Nguyễn'), or its paragraph names such a year and none after."""
    last = int(kind_words()["old_money"]["before_year"])
    if any(y < last for y in _years(sentence)):
        return True
    if _kind_literals()["old_money"].search(_fold(sentence)) and _old_money_words().search(sentence):
        return True
    years = _years(paragraph)
    return bool(years) and max(years) < last


YEAR_DIGITS = regex.compile(r"1\d{3}")   # in every YEAR


@functools.lru_cache(maxsize=256)   # the amounts of one paragraph ask for its years again
def _years(s: str) -> tuple[int, ...]:
    return tuple(int(m["y"]) for m in YEAR.finditer(s)) if YEAR_DIGITS.search(s) else ()


@functools.cache
def _per_words() -> regex.Pattern:
    pr = kind_words()["kinds"]["rate"]["per_rules"]
    return regex.compile(rf"^(?:{alternation(pr['person_or_unit'])})(?!\p{{L}})", FLAGS)


@functools.cache
def _gift() -> regex.Pattern:
    return vocab.whole_words(kind_words()['gift']['words'], FLAGS)


@functools.cache
def _gift_value() -> regex.Pattern:
    return regex.compile(_words_re(kind_words()["gift"]["value"]), FLAGS)


@functools.cache
def _per_measure() -> regex.Pattern:
    return regex.compile(rf"^(?:{alternation(kind_words()['kinds']['rate']['per_rules']['measure'])})(?!\p{{L}})", FLAGS)


@functools.cache
def _each_unit() -> regex.Pattern:
    pr = kind_words()["kinds"]["rate"]["per_rules"]
    return regex.compile(rf"^\s*(?:{alternation(pr['each'])})\s+(?P<u>(?:{alternation(pr['person_or_unit'])}))(?!\p{{L}})", FLAGS)


@functools.cache
def _band() -> regex.Pattern:
    return regex.compile(rf"(?<!\p{{L}})(?:{alternation(kind_words()['band_words'])})(?!\p{{L}})", FLAGS)


@functools.cache
def _total_patterns() -> tuple[regex.Pattern, regex.Pattern]:
    t = kind_words()["totals"]
    words = [x["w"] for x in t["total_words"] if x["w"].isalpha() or " " in x["w"]]
    before = regex.compile(rf"(?<!\p{{L}})(?:{alternation(words)})(?!\p{{L}})", FLAGS)
    parts = regex.compile(rf"^\s*+[,;]?\s*+(?:{alternation([x['w'] for x in t['parts_follow'] if '…' not in x['w']])})\s*:?", FLAGS)
    return before, parts


# a số hiệu ('Công văn 13589/BTC-NSNN'): its letters name an issuer, never a kind
DOC_NUMBER = regex.compile(r"\d+(?:/\d{4})?/[\p{Lu}Đ]+(?:-[\p{Lu}Đ]+)+", regex.V1)


# the words after an amount up to its clause's end ('(' or ';' or a full stop), a parenthesis left out
CLAUSE_END = regex.compile(r"[(;]|\.(?!\d)")
ASIDE = regex.compile(r"\([^()]*\)")


@functools.lru_cache(maxsize=4096)   # pure; a table's rows and a list's lead ask again
def money_kind(context: str, per: str | None = None, after: str = "") -> str:
    """budget | revenue | indicator | rate | price | unknown: the trigger nearest the amount wins
    (the longer one when two end together); a per-person/unit ``per`` makes it a rate unless a price
    trigger is present, and a per-time ``per`` with a budget trigger stays budget."""
    context = _not_triggers().sub(lambda m: " " * len(m.group()), context)
    if "/" in context:
        context = DOC_NUMBER.sub(lambda m: " " * len(m.group()), context)
    rules = _rule_patterns()
    folded = _fold(context)
    literals = _kind_literals()
    if literals["exchange"].search(folded) and rules["exchange"].search(context):
        return "price"       # 'một đô la Mỹ tương đương với khoảng 24.000 đồng': an exchange rate
    best = None
    rate_word = False
    for k, pat in _kind_patterns():
        if not literals[k].search(folded):
            continue
        for m in pat.finditer(context, overlapped=True):
            rate_word = rate_word or k == "rate"
            key = (m.end(), m.end() - m.start())
            if best is None or key > best[0]:
                best = (key, k, m.start())
    kind = best[1] if best else kind_words()["default"]
    if kind == "price" and _gift().search(context, 0, best[2]) and _gift_value().match(context, best[2]):
        kind = "unknown"      # 'tặng 10.000 lá cờ cùng nhu yếu phẩm trị giá 450 triệu đồng': a gift's worth, no price
    after = CLAUSE_END.split(ASIDE.sub(" ", after), maxsplit=1)[0] if after else after   # a parenthesis is an aside
    if kind != "rate" and after and _rule_after().search(after):
        return "price"
    th = rules["threshold"].search(context)
    if th and rules["report"].search(th["mid"]):
        th = None            # 'doanh thu du lịch đạt trên 900 tỷ đồng': a figure reported, not a criterion
    if kind in ("indicator", "unknown", "rate", "budget") and th or kind in ("indicator", "unknown") and rules["rule"].search(context):
        return "price"       # 'Phạm tội gây thiệt hại 50 triệu đồng', 'hộ có doanh thu trên 3 tỷ đồng': a threshold of a rule
    if rules["cap"].search(context) and rate_word:
        return "rate"        # 'Mức chi … 10% số tiền xử phạt và tối đa 5 triệu đồng': a norm's cap
    if per and kind in ("unknown", "budget") and _per_only() is not None and _per_only().search(context):
        return "rate"        # 'nhận trợ cấp 500.000 đồng/tháng'
    if not per and after and (each := _each_unit().match(after)):
        per = each["u"]       # '500 triệu đồng cho mỗi đơn vị hành chính cấp xã'
    if per and _per_words().match(per):
        if kind not in ("price", "indicator") or rate_word:
            return "rate"
    if per and kind == "budget" and _per_measure().match(per):
        return "rate"         # 'Chi sử dụng Quỹ: 300 đồng/lít': spending per litre is a norm
    return kind


def _context(text: str, start: int, n: int = 18) -> str:
    cs = clause_start(text, start, 160, stops=".;!?")
    words = text[cs:start].split()
    return " ".join(words[-n:])


@functools.cache
def _receipt() -> tuple[regex.Pattern, int]:
    r = kind_words()["receipt_before"]
    return regex.compile(rf"(?<!\p{{L}}){_words_re(r['words'])}\s*$", FLAGS), int(r["below"])


# a named person ('Trần Văn Bình nhận'): two capitalised words before the verb
NAMED = regex.compile(r"\p{Lu}\p{Ll}*\s+\p{Lu}\p{Ll}*\s+$", regex.V1)


def _receipt_rate(before: str, m) -> bool:
    """'người dân được nhận 100.000 đồng': a sum each person receives, a per-person amount."""
    pat, below = _receipt()
    r = pat.search(before)
    return bool(r) and m.max_vnd < below and not m.pair and not NAMED.search(before, 0, r.start())


@functools.cache
def _threshold_alone() -> tuple[regex.Pattern, regex.Pattern]:
    t = kind_words()["threshold_alone"]
    return (regex.compile(rf"(?<!\p{{L}}){_words_re(t['words'])}\s*$(?<!(?<!\p{{L}}){_words_re(t['not_before'])}\s*)", FLAGS),
            regex.compile(rf"[\s*_]*(?:{alternation(t['not_after'])})", FLAGS))


# a list's lead: a line ending in ':' (with the lines of its paragraph before it, a PDF's wrapped line), or a numbered
# heading of its own line ('1.1. Trích lập Quỹ …' over '- Xăng: 0 đồng/lít')
LEAD = regex.compile(r"(?m)^(?:[^\n]{0,300}:[ \t*_]*|[ \t*_]*(?:[IVX]+|\d+(?:\.\d+)*)\.[ \t]+[^\n:]{3,200}?[ \t*_]*)\n", regex.V1)


LIST_ITEM = regex.compile(r"(?<![ \t*_])[ \t*_]*+(?:[-+•–]|[a-zđ]\))", regex.V1)


def _lead_kind(text: str, start: int) -> str | None:
    """The kind of the lead of the list holding ``start`` ('1. Phạt tiền từ … đối với một trong các hành vi sau:')."""
    lo = max(0, start - 1500)
    line = text.rfind("\n", lo, start)
    if line < 0:
        return None
    leads = list(LEAD.finditer(text, lo, line + 1))
    if not leads:
        return None
    for k, lead in enumerate(leads[:-4:-1]):   # a lead inside a list ('1. Cấp Chứng chỉ …:') under the list's own ('Mức thu
        #                                         lệ phí … như sau:'), with no blank line between
        between = text[lead.end():line]
        if k and "\n\n" in between:
            break
        if not lead.group().rstrip(" \t*_\n").endswith(":") and \
                not all(LIST_ITEM.match(x) for x in between.split("\n") if x.strip(" \t*_")):
            continue             # a numbered heading leads only the '-' items right under it
        para = text.rfind("\n\n", max(lo, lead.start() - 300), lead.start())
        above = text.rfind("\n", lo, max(lo, text.rfind("\n", lo, max(lo, lead.start() - 1)) - 1))   # two wrapped lines
        begin = lead.start() if "\n\n" in between else max(para, above, lo - 1) + 1   # a lead far up: its own line only
        k = money_kind(" ".join(text[begin:lead.end()].split()))
        if k != "unknown":
            return k
    return None


# a paragraph that is nothing but an amount: a cell of a table saved as one cell per line (portal dumps)
MONEY_PARA = regex.compile(r"^[\s*_]*(?P<m>[^\n]{1,60}?)[\s*_]*$", regex.V1)


def _cell_paragraphs(text: str, money) -> dict[int, str | None]:
    """The amounts that are cells of a table saved one cell per paragraph (portal dumps, where each '|' line
    became a paragraph break), with their row label: an amount alone in its paragraph next to another such
    amount (its row is the paragraph before it), or a short cell ('Hỗ trợ thêm 2.000.000 đồng/người') in a
    run of cells under a row index ('a', 'b', '5' alone in a paragraph), whose row is the paragraph after it."""
    alone, short = [], []
    for i, m in enumerate(money):
        a, b = _para_bounds(text, m.start, m.end)
        para = text[a:b].strip(" *_\n")
        if MONEY_PARA.fullmatch(text[a:b]) and len(para) <= len(m.surface) + (12 if m.per else 4):   # '… đồng/hòm phiếu'
            alone.append((i, a, b))
        elif len(para) <= len(m.surface) + 60 and para.count("\n") <= 2:
            short.append((i, a, b))
    out: dict[int, str | None] = {}
    for (i, a, b), (j, a2, b2) in zip(alone, alone[1:]):
        if 0 <= a2 - b < 400:
            out.setdefault(i, None)
            out.setdefault(j, None)
    cellish = sorted(alone + short, key=lambda x: x[1])
    for k, (i, a, b) in enumerate(cellish):
        near = any(0 < abs(a2 - a) < 500 for _, a2, _ in cellish[max(0, k - 2):k + 3] if a2 != a)
        label = _indexed_row(text, a) if near else None
        if label is not None:
            out[i] = label
        elif i in out:
            out[i] = _previous_paragraph(text, money[i].start)
    return out


ROW_INDEX = regex.compile(r"(?<![*_\s])[*_\s]*(?:[a-zđ]|\d{1,2}|[IVX]{1,4})[.)]?[*_\s]*", regex.V1)


def _indexed_row(text: str, pos: int) -> str | None:
    """The row label of a cell of a one-cell-per-paragraph table: the paragraph after the nearest row index
    ('a', '5' alone in its paragraph) within the six paragraphs before ``pos``."""
    paras = []
    a = pos
    for _ in range(7):
        if a <= 0:
            break
        b, _ = _para_bounds(text, max(0, a - 1), max(0, a - 1))
        para = text[b:a].strip(" *_|\n")
        if para:
            paras.append(para)
        a = b
    for k, para in enumerate(paras[1:], 1):
        if ROW_INDEX.fullmatch(para):
            return " ".join(paras[k - 1].split())[:120]
    return None


# before a bare 'N đồng' that is no money: bronze medals ('395 vàng 319 bạc 296 đồng'). ('Mẫu số 01đ' is no money either, but
# its row stays: the counts would take the span as a count of 1)
NOT_MONEY_BEFORE = regex.compile(r"\d\s+bạc[\s,]*$", regex.V1)
# the first digits of a number whose line broke inside it: 'thêm 1⏎750.000 đồng' (a word, the digits, one line break)
GLUED_DIGITS = regex.compile(r"\p{L}[ \t]+(\d{1,3})[ \t]*\n[ \t]*\Z", regex.V1)
LEADING_GROUP = regex.compile(r"\d{3}(?:\.\d{3})+(?![\d,])", regex.V1)
NOT_MONEY = regex.compile(r"(?:(?<!\p{L})(?:Câu|câu|Bài|bài|điểm)\s*\d*\s*\(\s*|\(\s*)$", regex.V1)
PARA_BREAK = regex.compile(r"\n[ \t]*(?:\|[ \t]*)?\n|\n[ \t]*\|[ \t]*$", regex.V1 | regex.M)


# what is read right around an amount of the text: 'quan' before it (old currency), a bare 'N đồng' (a medal count?),
# 'cho'/'để' after it (its purpose), and the words after it up to a sentence mark
QUAN_BEFORE = regex.compile(r"(?<!\p{L})quan\s*$", FLAGS)
BARE_DONG = regex.compile(r"\d+\s*(?:đồng|đ)")
FOR_AFTER = regex.compile(r"^\s*+[,)]?\s*+(?:cho|để)\s+")
SENTENCE_MARK = regex.compile(r"[.;:!?\n]")


def _para_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph (or the portal cell between '|' lines) holding ``start … end``."""
    lo = max(0, start - 300)
    prev = list(PARA_BREAK.finditer(text, lo, start))
    nxt = PARA_BREAK.search(text, end, min(len(text), end + 300))
    return (prev[-1].end() if prev else (0 if lo == 0 else lo)), (nxt.start() if nxt else min(len(text), end + 300))


# how numbers.BARE_FINE starts (a test holds them together): find_money reads bare amounts only after it
FINE_LEAD = re.compile(r"phạt\s+tiền", re.I)


@functools.cache
def _currency_after_number() -> tuple[tuple[re.Pattern, ...], frozenset[str]]:
    """A literal scan for each currency word of ``numbers.yaml`` (one literal each: several times faster than one
    alternation), and the last word of every number and scale word ('triệu', 'mươi', 'hai'), case-folded."""
    return (tuple(re.compile(re.escape(c) + r"(?!\w)") for c in NUMBER_WORDS.currency),
            frozenset(w.split()[-1].casefold() for w in NUMBER_WORDS.all_words))


def may_hold_money(text: str) -> bool:
    """Whether :func:`find_money` can find an amount in ``text``: a currency word of ``numbers.yaml`` right after
    digits or a number word ('50.000đ', '2 tỷ đồng', 'hai triệu đồng'; not 'Hội đồng', 'đồng chí'), or 'phạt'
    followed by 'tiền' (a fine's amounts written without a currency, ``numbers.BARE_FINE``).  Cheap, and never False
    where there is an amount."""
    if "phạt" in text and FINE_LEAD.search(text):
        return True
    scans, ends = _currency_after_number()
    for scan in scans:
        for a in scan.finditer(text):
            i = a.start()
            while i and text[i - 1].isspace():
                i -= 1
            if i and text[i - 1].isdigit():
                return True
            j = i
            while j and text[j - 1].isalpha():
                j -= 1
            if j < i and text[j:i].casefold() in ends:
                return True
    return False


def _on_pipe_line(text: str, pos: int) -> bool:
    """Whether ``pos`` may be inside a region of :func:`grids.table_regions`: a region runs over whole lines holding
    '|' and the blank space between them, so a character that is no space is inside one only on such a line."""
    if pos >= len(text) or text[pos].isspace():
        return "|" in text
    end = text.find("\n", pos)
    return "|" in text[text.rfind("\n", 0, pos) + 1:end if end >= 0 else len(text)]


def find_budget(text: str, grids: list[G.Grid] | None = None) -> list[Budget]:
    """Money in running text (table regions included), then every amount cell of a money table."""
    grids = G.find_grids(text) if grids is None else grids
    spans = [(g.start, g.end, g) for g in grids]
    money = find_money(text) if may_hold_money(text) else []
    regions = None         # the pipe tables' regions, read when an amount first stands on a '|' line
    cells = _cell_paragraphs(text, money)
    cell_starts = {money[i].start for i in cells}
    seen: dict[int, int] = {}
    out = []
    baselines: set[int] = set()
    footnotes = _footnote_amounts(text, money) if money else {}
    for idx, m in enumerate(money):
        if NOT_MONEY.search(text[max(0, m.start - 14):m.start]) and "đồng" not in m.surface:
            continue   # 'Câu 5 (1 đ)': a score; '985 quan 540 đồng': old currency
        if QUAN_BEFORE.search(text[max(0, m.start - 8):m.start]):
            continue
        if NOT_MONEY_BEFORE.search(text, max(0, m.start - 30), m.start) and BARE_DONG.fullmatch(m.surface):
            continue   # '319 bạc 296 đồng': bronze medals
        if m.pair and m.min_vnd in seen and any(o.end <= m.start and text[o.end:m.start].strip() == "/" for o in out[-1:]):
            continue  # 'ước thực hiện 5.817 tỷ đồng/5.937 tỷ đồng': the plan amount again, already listed
        if (glued := GLUED_DIGITS.search(text, max(0, m.start - 12), m.start)) and m.min_vnd == m.max_vnd \
                and (lead := LEADING_GROUP.match(m.surface)) and (n := int(lead[0].replace(".", ""))) and not m.min_vnd % n:
            value = int(glued[1] + lead[0].replace(".", "")) * (m.min_vnd // n)   # 'Hỗ trợ thêm 1⏎750.000 đồng/người':
            m = replace(m, start=glued.start(1), surface=text[glued.start(1):m.end], min_vnd=value, max_vnd=value)  # one number
        if not m.pair:
            seen[m.min_vnd] = idx
        grid = next((g for s, e, g in spans if s <= m.start < e), None)
        if regions is None and _on_pipe_line(text, m.start):
            regions = G.table_regions(text)
        region = next((r for r in regions or () if r.start <= m.start < r.end), None)
        where = region.where(m.start) if region else None
        purpose = _purpose(text, m.start)
        lo, hi = sentence_bounds(text, m.start, m.end)
        after = FOR_AFTER.match(text[m.end:hi])
        unit = unit_in(purpose or "") or (unit_in(text[m.end + after.end():hi][:80]) if after else None)
        if unit and " " not in unit.strip():
            unit = None           # 'Hải Phòng', 'Ban đầu': a word of a name or a phrase, no unit (and no level from it)
        nxt = money[idx + 1].start if idx + 1 < len(money) else hi
        own = text[m.end:min(hi, nxt, m.end + 100)] if after else ""
        level = level_of(own) or level_of(purpose or "", unit) or level_of(_list_item_lead(text, m.start))
        ctx = _context(text, m.start)
        kind = money_kind(ctx, m.per, text[m.end:m.end + 60])
        if kind == "unknown" and (wide := money_kind(_context(text, m.start, 40), m.per, text[m.end:m.end + 60])) \
                in ("budget", "revenue", "rate"):
            kind = wide           # 'hỗ trợ với mức không vượt quá 50% … và không vượt mức 2.000 tỷ đồng': the clause's verb
        pa, pb = _para_bounds(text, m.start, m.end)
        old = old_money(text[lo:hi], text[pa:pb])
        note = footnotes.get(m.start)
        if out and _baseline_before().search(text[max(0, m.start - 60):m.start]):
            kind = out[-1].kind       # 'tăng 10% so cùng kỳ (9.000 tỷ đồng)': last year's figure of the amount before it
            baselines.add(len(out))
        elif note is not None and kind == "unknown":   # a footnote's amount: the kind of what its marker is written after
            marked = next((o for o in out if o.end == note[1]), None)
            kind = marked.kind if marked else money_kind(_context(text, note[0]))
        if kind == "unknown" and (own := money_kind(" ".join(SENTENCE_MARK.split(text[m.end:m.end + 40], maxsplit=1)[0]
                                                               .split()[:4]))) in ("budget", "revenue"):
            kind = own                # '45.749 tỷ đồng vốn NSTW': the words right after the amount
        if kind != "rate" and m.min_vnd != m.max_vnd and _band().search(m.surface):
            kind = "price"            # 'gây thiệt hại từ 100 triệu đồng đến dưới 500 triệu đồng', 'dự án nhóm A có tổng mức đầu tư
            #                           từ 10.000 tỷ đồng đến dưới 30.000 tỷ đồng': a band of a rule, whatever its words
        if kind == "unknown" and _rule_patterns()["fine_after"].match(text, m.end):
            kind = "price"            # 'b) Từ 10.000.000 đồng đến 20.000.000 đồng đối với vi phạm …': a fine of a list of fines
        if kind == "unknown":
            kind = _lead_kind(text, m.start) or kind
        before = text[max(0, m.start - 40):m.start]
        if kind == "unknown" and _receipt_rate(before, m):
            kind = "rate"         # 'người dân được nhận 100.000 đồng dịp Quốc khánh': what each person receives
        if kind == "unknown" and _threshold_alone()[0].search(before) and not _threshold_alone()[1].match(text, m.end):
            kind = "price"        # 'chuyển tiền từ 500 triệu đồng phải khai báo': a threshold of a rule
        if kind == "unknown" and out and note is None and out[-1].kind != "rate" and m.start - out[-1].end < 800 \
                and not HEADING.search(text, out[-1].end, m.start) and "^" not in text[out[-1].end:m.start]:
            kind = out[-1].kind   # 'Dự toán chi … 800 tỷ đồng. Ước thực hiện cả năm 760 tỷ đồng': the section's kind
        row_label, col = where if where else (None, None)
        if idx in cells and not grid and not region:
            row_label = cells[idx]
            kind = money_kind(row_label or "", m.per) if kind == "unknown" else kind
        in_table = grid is not None or where is not None or idx in cells
        if kind in ("unknown", "budget") and _rule_patterns()["cap"].search(ctx) \
                and (kind == "unknown" or money_kind(text[_para_bounds(text, m.start, m.end)[0]:m.start]) == "unknown"):
            kind = "rate"         # 'Trang thiết bị … tối đa 120 triệu đồng', a cell 'Vòng hoa tối đa | 1.500.000 đồng' under a
            #                       'Hỗ trợ thêm' cell: a cap with no kind in its own paragraph is a norm
        if old and not in_table and m.max_vnd < 10 ** 9:
            kind = "unknown"      # '1 tiền bằng 60 đồng' (1439), 'đổi 2 đồng tiền Tây Sơn': old coins, not today's đồng
        out.append(Budget(m.start, m.end, m.surface, m.min_vnd, m.max_vnd, m.per, m.approx, m.pair, purpose=purpose,
                          unit=unit, level=level, in_table=in_table, table_caption=grid.caption if grid else None,
                          table_row=row_label, table_column=col, kind=kind, role=_text_role(text, m, ctx)))
    for i in baselines:
        out[i] = replace(out[i], role="baseline")
    rated = [o for k, o in enumerate(out) if o.start in cell_starts and o.per and _per_words().match(o.per)]
    for k, o in enumerate(out):   # a table of norms saved one cell per line: 'Vòng hoa tối đa | 1.500.000 đồng', '500.000 đồng/hòm
        # phiếu' beside '/người' cells
        if o.kind in ("budget", "unknown") and o.start in cell_starts \
                and any(abs(r.start - o.start) < 600 for r in rated):
            out[k] = replace(o, kind="rate")
    rates = {o.min_vnd for o in out if o.kind == "rate" and o.per and _per_words().match(o.per)}
    _, below = _receipt()
    for k, o in enumerate(out):   # '100.000 đồng/người' then '… chi trả 100.000 đồng dịp Quốc khánh': the same norm, its per left out
        if o.kind in ("unknown", "budget") and not o.per and not o.pair and o.min_vnd == o.max_vnd and o.min_vnd in rates \
                and o.min_vnd < below and o.role == "leaf" and not o.in_table:
            out[k] = replace(o, kind="rate")
    text_rows = list(out)
    tables = [_grid_budget(g, functools.cache(functools.partial(_table_kind, text, g))) for g in grids]
    out.extend(b for t in tables for b, _ in t)
    out.sort(key=lambda b: b.start)
    index = {id(b): i for i, b in enumerate(out)}
    by_start = {b.start: b for b in text_rows}
    notes = {id(by_start[a]): n[1] for a, n in footnotes.items() if a in by_start and n[1] is not None}
    res = _link_text_parts(text, out, {id(b) for t in tables for b, _ in t}, {id(text_rows[i]) for i in baselines}, notes)
    for t in tables:
        for b, parent in _table_parents(t):
            if parent is not None:
                res[index[id(b)]] = replace(res[index[id(b)]], parent=index[id(parent)])
    return _realisations(text, res)


def _realisations(text: str, res: list[Budget]) -> list[Budget]:
    """'Ước thực hiện cả năm là 27.535 tỷ đồng, đạt 102,70% dự toán' after the plan's total ('Tổng chi … được giao
    là 26.811 tỷ đồng'): the plan measured again, role ``realised`` (a sum takes the plan, not both).  Only an amount
    of running text with no parent, of the kind of a total written before it in the last 1,500 characters."""
    plan: dict[str, Budget] = {}
    for i, b in enumerate(res):
        if b.in_table or b.parent is not None or b.role == "baseline" or b.kind in ("unknown", "rate", "price"):
            continue
        before = plan.get(b.kind)
        if before is not None and b.start - before.end < 1500 and _realised_after().match(text, b.end):
            res[i] = replace(b, role="realised")
        elif b.role == "total":
            plan[b.kind] = b
    return res


def _table_parents(cells: list[tuple[Budget, str]]):
    """Each cell's parent in its column: a subtotal's is the grand total, a leaf's the subtotal above it
    (or the grand total, written above or below)."""
    grand: dict = {}
    sub: dict = {}
    pending = []
    for b, tier in cells:
        col = b.table_column
        if tier == "grand":
            grand[col] = b
            for p, pc in pending:
                if pc == col:
                    yield p, b
            pending = [(p, pc) for p, pc in pending if pc != col]
        elif tier == "sub":
            sub[col] = b
            if col in grand:
                yield b, grand[col]
            else:
                pending.append((b, col))
        elif col in sub:
            yield b, sub[col]
        elif col in grand:
            yield b, grand[col]
        else:
            pending.append((b, col))


def _previous_paragraph(text: str, pos: int) -> str | None:
    a, _ = _para_bounds(text, pos, pos)
    for _ in range(4):
        b, _ = _para_bounds(text, max(0, a - 1), max(0, a - 1))
        para = text[b:a].strip(" *_|\n")
        if para:
            return " ".join(para.split())[:120]
        if b == 0:
            return None
        a = b
    return None


# '15,25 tỷ đồng (NSNN 7,3 tỷ; doanh nghiệp 7,95 tỷ)': parts in a parenthesis right after the amount
SPLIT_IN_PARENS = regex.compile(r"^\s*\(\s*[^()]{0,40}?\d[^()]*(?:đồng|tỷ|triệu)[^()]*;[^()]*\)", FLAGS)


def _text_role(text: str, m, ctx: str) -> str:
    before, parts = _total_patterns()
    words = " ".join(ctx.split()[-6:])
    if before.search(words) or (p := parts.match(text[m.end:m.end + 40])) and not PARA_END.search(p.group()):
        return "total"
    if SPLIT_IN_PARENS.match(text[m.end:m.end + 200]):
        return "total"  # '15,25 tỷ đồng (NSNN 7,3 tỷ; doanh nghiệp 7,95 tỷ)'
    return "leaf"


# footnotes: '…14.635 tỷ đồng[3], …' in the text, '[3] Bao gồm … 145 tỷ đồng.' in a paragraph of its own further on
NOTE_MARK = regex.compile(r"[*_]*\s?\[(\d{1,2})\][*_]*")
NOTE_PARA = regex.compile(r"(?m)^[ \t*_]*\[(\d{1,2})\][*_]*")
PARA_END = regex.compile(r"\n[ \t]*\n")


def _footnote_amounts(text: str, money) -> dict[int, tuple[int, int | None]]:
    """Each amount written in a footnote → (where its marker stands in the text, the end of the amount the marker
    follows, or None when it follows words)."""
    if "[" not in text:
        return {}
    paras = list(NOTE_PARA.finditer(text))
    if not paras:
        return {}
    marks = None
    by_end = {a.end: a for a in money}
    starts = [a.start for a in money]
    out: dict[int, tuple[int, int | None]] = {}
    for k, p in enumerate(paras[:200]):
        stop = PARA_END.search(text, p.end(), min(len(text), p.end() + 3000))
        end = min(stop.start() if stop else p.end() + 3000, paras[k + 1].start() if k + 1 < len(paras) else len(text))
        inside = range(bisect.bisect_left(starts, p.end()), bisect.bisect_left(starts, end))
        if not inside:
            continue             # no amount in this footnote
        if marks is None:
            marks = [mk for mk in NOTE_MARK.finditer(text) if mk.start() > 0 and text[mk.start() - 1] != "\n"]
        mk = next((mk for mk in reversed(marks) if mk.start() < p.start() and mk.group(1) == p.group(1)), None)
        if mk is None:
            continue
        before = next((by_end[e] for e in range(mk.start() - 2, mk.start() + 1) if e in by_end), None)
        for j in inside:
            out[money[j].start] = (mk.start(), before.end if before else None)
    return out


HEADING = regex.compile(r"\n[ \t*_]*(?:[IVXLC]+\.|\d+(?:\.\d+)*\.|[a-zđ]\))[ \t*_]", regex.V1)
# a breakdown: 'Trong đó:', '; cụ thể:', '(trong đó: …)', ', gồm …' at the start of a clause
BREAKDOWN_WORDS = ("trong đó", "cụ thể", "bao gồm", "gồm")
BREAKDOWN = regex.compile(rf"(?:^|(?<=[.;,:(]\s{{0,3}}[*_]{{0,2}})|(?<=\n[*_]{{0,2}}))[*_]{{0,2}}(?:{alternation(BREAKDOWN_WORDS)})(?!\p{{L}})",
                          regex.V1 | regex.I)
# where a breakdown word may stand, in the lower-cased text: one literal scan per word (each a fast literal search)
BREAKDOWN_WORD_SCANS = tuple(re.compile(re.escape(w).replace(r"\ ", r"\s+")) for w in BREAKDOWN_WORDS)


def _breakdowns(text: str) -> list:
    """``BREAKDOWN.finditer(text)``, tried only where a breakdown word stands: every match is a word of
    ``BREAKDOWN_WORDS`` after at most two '*' or '_', so the leftmost of those three starts (past the match
    before) that matches is the match of the whole scan."""
    low = lowered(text)
    if low is None:
        return list(BREAKDOWN.finditer(text))
    words = sorted({w.start() for scan in BREAKDOWN_WORD_SCANS for w in scan.finditer(low)})
    out = []
    end = 0
    for w in words:
        if w < end:
            continue
        for p in range(max(end, w - 2), w + 1):
            m = BREAKDOWN.match(text, p)
            if m:
                out.append(m)
                end = m.end()
                break
    return out
MARK_RANK = [(regex.compile(r"[IVXLC]+\.\s"), 4), (regex.compile(r"(?<![\d.])\d++(?:\.\d++)*+[.)]\s"), 3),
             (regex.compile(r"[a-zđ]\)\s"), 2), (regex.compile(r"[-+•–]\s"), 1)]


def _mark_rank(line: str) -> int | None:
    s = line.lstrip(" \t*_")
    return next((r for pat, r in MARK_RANK if pat.match(s + " ")), None)


LIST_LEAD = regex.compile(r"^[^\n\d]{0,80}?:[*_\s]*\n")


def _breakdown_end(text: str, total_end: int, m) -> int:
    """Where the parts named by the breakdown ``m`` end: its parenthesis, the list it opens, else its sentence."""
    if text.count("(", total_end, m.start()) > text.count(")", total_end, m.start()):
        close = text.find(")", m.end(), m.end() + 1500)
        return close if close >= 0 else m.end() + 1500
    lead = LIST_LEAD.match(text[m.end():m.end() + 120])
    if lead:
        pos = m.end() + lead.end()
        rank = None
        prev_blank = True
        while pos < len(text) and pos < m.end() + 5000:
            nl = text.find("\n", pos)
            line = text[pos:nl if nl >= 0 else len(text)]
            if line.strip(" \t*_|"):
                r = _mark_rank(line)
                if rank is None:
                    if r is None:
                        break
                    rank = r
                elif (prev_blank or r is not None) and (r is None or r > rank):
                    return pos
                prev_blank = False
            else:
                prev_blank = True
            if nl < 0:
                return len(text)
            pos = nl + 1
        if rank is not None:
            return pos
    stop = SENTENCE_END_OR_PARA.search(text, m.end(), min(len(text), m.end() + 1500))
    return stop.start() if stop else min(len(text), m.end() + 1500)


SHARE_OF_TOTAL = regex.compile(r"[\s*_]*\(?\s*(?:chiếm|bằng)\s+(?:khoảng\s+)?[\d.,]+\s*%\s+(?:trong\s+)?tổng(?!\p{L})", regex.V1 | regex.I)
SENTENCE_END_OR_PARA = regex.compile(r"[.!?](?=\s|$)|\n[ \t]*\n")


# 'A/năm x N năm = B' between two amounts: B is the total of A
TIMES_YEARS = regex.compile(r"^\s*[x×*]\s*\d+\s*\p{L}+\s*=\s*", FLAGS)


def _link_text_parts(text: str, out: list[Budget], cells: set[int], baselines: set[int] = frozenset(),
                     notes: dict[int, int] | None = None) -> list[Budget]:
    """A total's parts: the amounts of the breakdown after it ('26.811 tỷ đồng. Trong đó: …', '(trong đó: …)',
    '…; cụ thể:' and the list under it), the amounts up to its sentence's end after a 'tổng …' amount, the
    amounts of a footnote written after it, and 'A/năm × N năm = B', whose B is the total of A.  A baseline
    ('so cùng kỳ (…)') is neither a total nor a part."""
    res = list(out)
    rows = [i for i, b in enumerate(out) if id(b) not in cells and id(b) not in baselines]
    pos = {i: k for k, i in enumerate(rows)}
    by_end = {out[i].end: i for i in rows}
    for i in rows:      # footnotes first: '[3] Bao gồm …' is a part of the amount the marker [3] follows
        marked = by_end.get((notes or {}).get(id(out[i]), -1))
        if marked is not None and marked != i:
            res[i] = replace(res[i], parent=marked)
            res[marked] = replace(res[marked], role="total")
    prose = [i for i in rows if not out[i].in_table]
    ends = [out[i].end for i in prose]
    for m in reversed(_breakdowns(text)) if prose else ():
        k = bisect.bisect_right(ends, m.start())
        if k == 0:
            continue
        t = prose[k - 1]
        if m.start() - out[t].end > 1500 or PARA_END.search(text, out[t].end, m.start()) \
                or HEADING.search(text, out[t].end, m.start()):
            continue
        end = _breakdown_end(text, out[t].end, m)
        parts = [j for j in rows[pos[t] + 1:] if m.end() <= out[j].start < end and res[j].parent is None
                 and not out[j].in_table]
        for j in parts:
            res[j] = replace(res[j], parent=t)
        if parts:
            res[t] = replace(res[t], role="total")
    for k, i in enumerate(rows):   # '+ Vốn vay: 4.395 tỷ đồng (chiếm 85% tổng vốn đầu tư)': a part of the total before it
        if res[i].parent is None and res[i].role != "total" and SHARE_OF_TOTAL.match(text, out[i].end):
            t = next((j for j in reversed(rows[:k]) if res[j].role == "total" and out[j].kind == out[i].kind
                      and out[i].start - out[j].end < 2000 and not out[j].in_table), None)
            if t is not None:
                res[i] = replace(res[i], parent=t)
    for i, b in enumerate(out):
        if id(b) in cells or id(b) in baselines:
            continue
        if i + 1 < len(out):
            nxt = out[i + 1]
            gap = text[b.end:nxt.start]
            if TIMES_YEARS.fullmatch(gap):
                res[i + 1] = replace(res[i + 1], role="total")
                res[i] = replace(res[i], parent=i + 1)
                continue
        if b.role != "total":
            continue
        lo, hi = sentence_bounds(text, b.start, b.end, 600)
        if any(res[j].parent == i for j in rows):
            continue        # its breakdown is already linked
        for j in range(i + 1, len(out)):
            o = out[j]
            if o.start >= hi or res[j].role == "total":
                break
            if res[j].parent is None and id(o) not in cells and id(o) not in baselines and o.in_table == b.in_table:
                res[j] = replace(res[j], parent=i)
    return res


# a table's total row: 'TỔNG …', 'Tổng cộng', 'Tổng số', 'Cộng', '(I+II+III)' ('Tổng sản phẩm (GRDP)' is not one)
TOTAL_ROW = regex.compile(r"^\s*(?:TỔNG|CỘNG|Cộng|Tổng\s+(?:cộng|số))(?!\p{L})|\((?:[IVX]+\s*\+\s*)+[IVX]+\)", regex.V1)


def _table_kind(text: str, g: G.Grid) -> str:
    """What a table's amounts are when their row does not say: its header ('Giá đất'), else the sentence that
    leads into it ('… bảng giá đất trồng cây hằng năm như sau:'), with the table's unit ('đồng/m2') as ``per``."""
    per = g.unit.split("/", 1)[1].strip() if g.unit and "/" in g.unit else None
    header = " ".join(c for c in g.columns if c)
    lead = text[max(0, g.start - 400):g.start]
    lead = lead[lead.rfind("\n\n", 0, max(0, len(lead) - 2)) + 1:] if "\n\n" in lead[:-2] else lead
    for ctx in (" ".join(x for x in (g.caption, header) if x), _context(lead, len(lead))):
        k = money_kind(ctx, per)
        if k != "unknown":
            return k
    return money_kind("", per)


RATIO_ROW = regex.compile(r"%|(?<!\p{L})tỷ\s+lệ(?!\p{L})", regex.V1 | regex.I)


def _grid_budget(g: G.Grid, table_kind=lambda: "unknown") -> list[tuple[Budget, str]]:
    """The amount cells of a money table, each with its tier (grand, sub, leaf); ``table_kind()``: the kind of a
    cell whose caption, row and column name none (asked only then, see :func:`_table_kind`)."""
    col_scale = [G.column_scale(c) for c in g.columns]
    bases = [G.money_scale(row.unit) if row.unit else G.money_scale(g.unit) for row in g.rows]
    if not any(col_scale) and all(b is None for b in bases):
        return []             # no money unit in its header, its columns or its rows
    ratios = G.ratio_columns(g)
    numeric_cols = sorted({j for r in g.rows if r.n_cells is None or r.n_cells >= len(g.columns)
                           for j in (r.positions or ()) if j is not None})
    has_total_row = any(TOTAL_ROW.search(r.label) for r in g.rows)
    out = []
    for k, row in enumerate(g.rows):
        base = bases[k]
        if RATIO_ROW.search(row.label):
            continue
        positions = [row.column_of(i, len(g.columns)) for i in range(len(row.cells))]
        if row.n_cells is not None and row.n_cells < len(g.columns) and len(row.cells) <= len(numeric_cols):
            positions = numeric_cols[len(numeric_cols) - len(row.cells):]   # a short total row: align from the right
        tier = "grand" if TOTAL_ROW.search(row.label) or (not has_total_row and _top_caps(row.label)) else \
            "sub" if _subtotal(row, g.rows[k + 1] if k + 1 < len(g.rows) else None) else "leaf"
        total = tier != "leaf"
        for i, cell in enumerate(row.cells):
            v = G.cell_value(cell)
            j = positions[i]
            if v is None or (j in ratios if j is not None else ("," in cell.surface and 0 < v < 1000)):
                continue
            col = g.columns[j] if j is not None and j < len(g.columns) else None
            scale = col_scale[j] if j is not None and j < len(col_scale) and col_scale[j] else base
            if scale is None or (col and G.HEADER_NOT_MONEY.search(col)):
                continue
            purpose = " — ".join(x for x in (g.caption, row.label, col) if x) or None
            amount = int(v * scale)
            unit = unit_in(row.label)
            out.append((Budget(cell.start, cell.end, cell.surface, amount, amount, purpose=purpose, unit=unit,
                              level=level_of(row.label, unit), in_table=True, table_row=row.label or None,
                              table_column=col, table_caption=g.caption,
                              kind=_cell_kind(g.caption, row.label, col, table_kind),
                              role="total" if total else "leaf"), tier))
    return out


def _cell_kind(caption: str | None, label: str, col: str | None, table_kind) -> str:
    k = money_kind(" ".join(x for x in (caption, label) if x))
    if k == "unknown" and col:
        k = money_kind(col)
    return table_kind() if k == "unknown" else k


SUBTOTAL_INDEX = regex.compile(r"^(?:[IVXL]+|[A-DĐ])\.?$", regex.V1)
NUMBER_INDEX = regex.compile(r"\d+\.?$")
LETTER_INDEX = regex.compile(r"[a-zđ]\)")


def _subtotal(row: G.GridRow, nxt: G.GridRow | None) -> bool:
    """A subtotal row: numbered I, II … (or A, B …), or numbered 'N' with rows 'N.1' or 'a)' under it."""
    if row.index and SUBTOTAL_INDEX.match(row.index):
        return True
    return bool(row.index and nxt is not None and nxt.index and NUMBER_INDEX.match(row.index)
                and (nxt.index.startswith(row.index.rstrip(".") + ".") and nxt.index != row.index or LETTER_INDEX.match(nxt.index)))


def _top_caps(label: str) -> bool:
    """An all-capitals row label ('BỘI CHI NGÂN SÁCH ĐỊA PHƯƠNG'): a top-level row of a table with no TỔNG row."""
    letters = [c for c in label if c.isalpha()]
    return len(letters) >= 6 and all(c.isupper() for c in letters)

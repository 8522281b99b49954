"""Counts: other numbers with the thing they count (the noun phrase through underthesea's tagger)."""
from __future__ import annotations

import functools
import re
import regex
from ..models import Count
from ..numbers import SCALE, find_quantities
from ..vocab import WS, whole_words
from .context import RULE_FLAGS, WORDS, alternation


COUNT_WORDS = WORDS["counts"]
CLASSIFIERS = frozenset(COUNT_WORDS["classifiers"])
NOT_UNIT = regex.compile(rf"\s*(?:{alternation(COUNT_WORDS['not_units'])})(?!\p{{L}})", RULE_FLAGS)
# its words by the stdlib engine, tried first (right after a number): where it finds none, NOT_UNIT finds none
# (no start inside a run of spaces, so that a search stays linear)
NOT_UNIT_WORDS = re.compile(rf"(?<!\s)\s*+(?:{alternation(COUNT_WORDS['not_units'])})", re.I)
# searched backwards ('(?r)'): the match must end where the number starts, so the first try is the only one that counts
NOT_AFTER = regex.compile(rf"(?r)(?<!\p{{L}})(?:{alternation(COUNT_WORDS['not_after'])})(?:\s*+:)?\s*+$", regex.V1)
MEASURE_WORDS = frozenset(w.lower() for w in COUNT_WORDS["measure_words"])
# a ratio: 'cứ 1.000 dân có 2 bác sĩ' (a number after 'cứ' earlier in the clause), '2 bác sĩ trên 1.000 dân', '2 cán bộ/ca'
PER_BEFORE = regex.compile(rf"(?r)(?<!\p{{L}})(?:{alternation(COUNT_WORDS['per_before'])})\s+\d[\d.,]*\s[^.;:!?\n]*$", regex.V1 | regex.I)
PER_AFTER = regex.compile(rf"\s*(?:{'|'.join(COUNT_WORDS['per_after'])})", regex.V1 | regex.I)
# 'gấp 17 lần', '2 lần số thuế': a multiplier
MULTIPLIER = regex.compile(rf"\s*lần(?:\s+(?:{alternation(COUNT_WORDS['multiplier_after'])}))?(?!\p{{L}})", regex.V1 | regex.I)
MULTIPLIER_BEFORE = regex.compile(rf"(?<!\p{{L}})(?:{alternation(COUNT_WORDS['multiplier_before'])})\s*$", regex.V1 | regex.I)
CODE = re.compile(r"0\d{3,}")            # 'mã đề 0826': a code, not a count
GLUED = regex.compile(r"\p{Ll}\p{Lu}", regex.V1)   # 'NgànÔng', 'trongCollected': words run together, no phrase
SENTENCE_OPEN = frozenset('.!?:;"“”([«»-–•*…]|')
TAG_WORDS = 8          # words after a number given to the tagger
DIGIT = re.compile(r"\d")
AFTER_RANGE_OR_LIST = regex.compile(r"(?:\d\s*[-–]|\d\s*,|\d\s+(?:và|hoặc))\s*$", regex.V1)
YEAR = re.compile(r"1[5-9]\d\d|20\d\d")   # '1890 Xã …' (a birth year): a count this large is written 1.890
# 'Tháng 10/ 1776 Hội đồng': the year of a month; '[16]:97 Quốc gia': the page of a footnote reference
YEAR_OR_PAGE_BEFORE = regex.compile(r"(?:(?<!\p{L})tháng\s*+\d{1,2}\s*+/|\]\s*+:)\s*+$", regex.V1 | regex.I)
# a word after the number, on its line or the next (group 1 is a letter where it is alphabetic, as in \p{L})
WORD_NEXT = re.compile(r"(?<![ \t])[ \t]*+\n?[ \t]*+([^\W\d_])")
FRAGMENT_END = regex.compile(r"\n\s*\n|[.;!?](?:\s|$)")
# the phrase never runs past a clause mark: the tagger is given the words before it only (short fragments repeat,
# so most are tagged once per process)
PHRASE_MARK = re.compile(r"[,;:()\[\]\"“”|!?…]")
STOP_TAGS = {"E", "C", "CC", "CH", "P", "R", "L", "T", "X", "M", "Np"}
STOP_WORDS = frozenset(COUNT_WORDS["phrase_stops"])
TRAILING_STOPS = frozenset(COUNT_WORDS["trailing_stops"])
VERBS_AFTER_CLASSIFIER = frozenset(COUNT_WORDS["verbs_after_classifier"])
FOREIGN = frozenset(COUNT_WORDS["foreign_words"])
NOT_LATIN = regex.compile(r"[^\p{Latin}\p{M}\d\s\p{P}\p{S}]", regex.V1)   # 'กก', 'км': another script
TITLE = regex.compile(r"\p{Lu}\p{Ll}", regex.V1)
ONE_CAPITAL = regex.compile(r"\p{Lu}", regex.V1)      # an answer key: "11 A"
# a number after a capitalised name and before a capitalised word: 'Binh đoàn 16 Quân đội', 'Quân khu 7 Hải quân'
NAME_BEFORE = regex.compile(r"(?<![\p{L}\d])\p{Lu}\p{Ll}*+(?:[ \t]++(?P<w>\p{Ll}++))?[ \t]++$", regex.V1)
# '6:02', '7h30': a time of day; '1:50.000': a scale
CLOCK = regex.compile(r"\d:$|(?<![\p{L}\d.,:])\d{1,2}h$", regex.V1)
AFTER_CLASSIFIER = frozenset(COUNT_WORDS["after_classifier"])
NAME_HEADS = frozenset(COUNT_WORDS["name_heads"])
# 'U-20', 'B-52', 'MiG-21': a model or team name
IN_NAME = regex.compile(r"\p{L}-$", regex.V1)
# '20 doanh nghiệp hoạt động/nghìn dân': a ratio a word or two after the phrase
PER_LATER = regex.compile(r"(?:[^\S\n]+\p{L}+){1,2}[^\S\n]*/[^\S\n]*\p{L}", regex.V1)
MULTIPLIER_LIST = regex.compile(rf"(?<!\p{{L}})(?:{alternation(COUNT_WORDS['multiplier_before'])})\s*\d[\d.,]*\s*lần"
                                r"\s*(?:,|và|hoặc|đến|tới|-|–)\s*$", regex.V1 | regex.I)


@functools.lru_cache(maxsize=20000)
def _tag(fragment: str) -> tuple[tuple[str, str], ...]:
    """underthesea's ``pos_tag`` (its word segmenter, then its POS CRF), with the CRF's features
    built here in one pass: the same strings its template engine builds (it re-parses each of
    22 templates with a regex for every word, which was most of the cost of counts)."""
    from underthesea import word_tokenize
    from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor
    words = word_tokenize(fragment)
    if not words:
        return ()
    return tuple(zip(words, CRFPOSTagPredictor.Instance().model.tag(_pos_features(words))))


def _istitle(word: str) -> str:
    # underthesea's text_istitle: every space-separated part starts with a title-case letter
    # (an empty part, from a double space, is False there through an IndexError)
    parts = word.split(" ")
    return str(bool(word) and all(p and p[0].istitle() for p in parts))


def _pos_features(w: list[str]) -> list[list[str]]:
    """The features of underthesea's CRFPOSTagPredictor template, token by token (column 1 is 'X'): the words
    either side from lists padded with BOS / EOS, the pairs of words joined once."""
    n = len(w)
    low = ["BOS", "BOS"] + [x.lower() for x in w] + ["EOS", "EOS"]
    title = ["BOS", "BOS"] + [_istitle(x) for x in w] + ["EOS", "EOS"]
    word = ["BOS", "BOS"] + w + ["EOS", "EOS"]
    pair = ["BOS", "BOS"] + [f"{w[j]} {w[j + 1]}" for j in range(n - 1)] + ["EOS", "EOS"]   # T[j,j+1] at j + 2
    out = []
    for i in range(n):
        k = i + 2
        out.append([
            "T[-2].lower=" + low[k - 2], "T[-1].lower=" + low[k - 1], "T[0].lower=" + low[k],
            "T[1].lower=" + low[k + 1], "T[2].lower=" + low[k + 2],
            "T[0].istitle=" + title[k], "T[-1].istitle=" + title[k - 1], "T[1].istitle=" + title[k + 1],
            "T[-2]=" + word[k - 2], "T[-1]=" + word[k - 1], "T[0]=" + word[k], "T[1]=" + word[k + 1], "T[2]=" + word[k + 2],
            "T[-2,-1]=" + pair[i], "T[-1,0]=" + pair[i + 1], "T[0,1]=" + pair[i + 2], "T[1,2]=" + pair[i + 3],
            *POS_START[min(i, 3)]])
    return out


# the template's column-1 features (every tag is 'X') of the first, second, third and any later word
POS_START = [[f"T[{k}][1]={'BOS' if i + k < 0 else 'X'}" for k in (-3, -2, -1)]
             + [f"T[-3,-2][1]={'BOS' if i < 3 else 'X X'}", f"T[-2,-1][1]={'BOS' if i < 2 else 'X X'}"] for i in range(4)]


# the numbers in digits that may count something: find_quantities' DIGIT_SCAN without those _count_at refuses
# whatever follows (a year, a code, a decimal; no word after them and no letter or scale word for QTY_RE to read)
COUNT_DIGITS = re.compile(r"\d(?<![\w.,/]\d)(?!(?<=0)\d{3}|(?<=1)[5-9]\d\d(?!\d)|(?<=2)0\d\d(?!\d))(?:\d{0,2}(?:\.\d{3})+|\d*)(?!\d|[.,/]\d)"
                          r"(?:(?P<x>(?=[^\W\d_]|[ \t\n]*(?:[^\S \t\n]|" + SCALE + r")))|(?=[ \t]*+\n?[ \t]*+[^\W\d_]))", re.I)


def find_counts(text: str, taken: list[tuple[int, int]] = ()) -> list[Count]:
    """Numbers with the thing they count; ``taken`` are spans already read as something else."""
    taken = _merge(taken)
    out = [c for q in find_quantities(text, taken, COUNT_DIGITS) if (c := _count_at(text, q, taken)) is not None]
    # every number, for the lists of parts (only where a total is followed by its parts)
    return _link_count_parts(text, out, functools.cache(lambda: find_quantities(text, taken)), taken)


def _count_at(text: str, q, taken: list[tuple[int, int]]) -> Count | None:
    """The count a number starts, or None: a number of things, not an identifier, a measure, a ratio or a name."""
    surface = q.surface
    digits = surface[0].isdigit()
    if digits and ("," in surface or CODE.fullmatch(surface) or YEAR.fullmatch(surface)):
        return None   # '1,0 lần' is a decimal, '0826' a code, '1890' a year
    if q.has_scale or q.value <= 0 or q.value >= 10**9 or q.value != int(q.value):
        return None
    # cheapest first (most numbers end here): no word after the number, or a unit that is not counted
    w = WORD_NEXT.match(text, q.end)
    if w is None or w.end() > q.end + 80 or not w.group(1).isalpha() \
            or (NOT_UNIT_WORDS.match(text, q.end, q.end + 80) and NOT_UNIT.match(text, q.end, q.end + 80)):
        return None
    if _overlaps(taken, q.start, q.end):
        return None
    rest = text[q.end:q.end + 80]
    before = text[max(0, q.start - 25):q.start]
    if NOT_AFTER.search(before) or AFTER_RANGE_OR_LIST.search(before) or YEAR_OR_PAGE_BEFORE.search(before):
        return None
    if rest.startswith("\n") and (q.start == 0 or text[q.start - 1] == "\n"):
        return None  # a number alone on its line: a row number (STT) of a table
    if not digits and surface[0].isupper() and (rest.lstrip()[:1].isupper() or not _opens_sentence(text, q.start)):
        return None  # 'Hai Bà Trưng', 'chiến khu Ba Đình', 'vở Mười đêm hương lửa': a name
    if digits and IN_NAME.search(before):
        return None  # 'U-20 quốc gia'
    if digits and CLOCK.search(before) and (before[-1] == ":" or len(surface) == 2):
        return None  # '6:02 sáng': a time of day
    m = MULTIPLIER.match(rest)
    if m and (m.group().strip() != "lần" or MULTIPLIER_BEFORE.search(before) or MULTIPLIER_LIST.search(text, max(0, q.start - 40), q.start)):
        return None  # 'gấp 17 lần', '2 lần số thuế', 'gấp 17 lần và 38 lần'
    if PER_BEFORE.search(text, max(0, q.start - 40), q.start):
        return None  # 'cứ 1.000 dân có 2 bác sĩ': a ratio
    # the tagger reads a phrase better with what follows it: tag up to a paragraph break
    stop = FRAGMENT_END.search(rest)
    fragment = _fragment(rest[:stop.start() if stop else len(rest)])
    if not fragment:
        return None
    # the tagger reads the words, not the value: one stand-in number and digit shape keep its cache warm
    phrase, head = _phrase("5" if digits else WS.sub(" ", q.surface), DIGIT.sub("5", fragment))
    if not phrase or ONE_CAPITAL.fullmatch(phrase) or phrase.lower() == "số" or GLUED.search(phrase) or NOT_LATIN.search(phrase):
        return None
    if _foreign(before, fragment, phrase):
        return None  # 'More than 20 die in …': another language
    name = NAME_BEFORE.search(before)
    if name and TITLE.match(phrase) and (name["w"] is None or name["w"] not in STOP_WORDS) and not _opens_sentence(text, q.start - len(name.group())):
        return None  # 'Binh đoàn 16 Quân đội nhân dân': an identifier in a name
    # the phrase as written: the same words in the text (line breaks kept)
    pm_end = _match_words(phrase.split(), rest)
    if pm_end is None or PER_AFTER.match(rest, pm_end) or PER_LATER.match(rest, pm_end):
        return None  # … or '2 bác sĩ trên 1.000 dân', '2 cán bộ/ca': a ratio
    end = q.end + pm_end
    return Count(q.start, end, text[q.start:end], int(q.value), phrase, head)


def _fragment(rest: str) -> str:
    """The words given to the tagger: up to TAG_WORDS, ending before a clause mark, after the first stop word
    or number (the phrase ends there; '02 ảnh cỡ 30' keeps the number, which ends the phrase before a measure)."""
    mark = PHRASE_MARK.search(rest)
    words = (rest[:mark.start()] if mark else rest).split()[:TAG_WORDS]
    for k, w in enumerate(words):
        if w.lower() in STOP_WORDS or DIGIT.match(w):
            return " ".join(words[:k + 1])
    return " ".join(words)


# a word no Vietnamese syllable can be: f, j, w or z in it, or an end other than a vowel, c, ch, m, n, ng, nh, p, t
NOT_SYLLABLE = re.compile(r"[a-z]*[fjwz][a-z]*|[a-z]*(?:[bdjklqrsvxz]|(?<!n)g)")


def _foreign(before: str, fragment: str, phrase: str) -> bool:
    """Whether the words around a number are of another language: one foreign word in the phrase (or its first word
    no Vietnamese syllable: 'legislators'), two around it."""
    words = phrase.split()
    if any(w in FOREIGN for w in words) or NOT_SYLLABLE.fullmatch(words[0]):
        return True
    around = before.split()[-3:] + fragment.split()
    return sum(w.strip(".,;:()\"") in FOREIGN for w in around) >= 2


def _opens_sentence(text: str, pos: int) -> bool:
    """Whether ``pos`` starts a sentence, a line or a list item (where any word is written with a capital)."""
    k = pos
    while k > 0 and text[k - 1] in " \t":
        k -= 1
    return k == 0 or text[k - 1] == "\n" or text[k - 1] in SENTENCE_OPEN


# --- a total and its parts ------------------------------------------------------------------------
PARTS_FOLLOW = alternation(COUNT_WORDS["parts_follow"])
# between a total and its first part: the total's own words ('… cấp xã trực thuộc,'), then 'gồm' (or 'bao gồm',
# 'trong đó') and nothing else but a colon and a list marker; no bracket or clause mark (see _own_words_ok)
CONNECTOR = regex.compile(rf"\G(?P<own>[^.;:!?()\[\]|]{{0,200}}?)(?<![\s,])[\s,]*+(?<!\p{{L}})(?:{PARTS_FOLLOW})(?!\p{{L}})"
                          r"[^\S\n]*+:?[^\S\n]*+(?:\n\s*+(?:[-–+•*]|[a-zđ]\))?\s*+)?", regex.V1 | regex.I)
NOT_BEFORE_PARTS = regex.compile(rf"(?<!\p{{L}})(?:{alternation(COUNT_WORDS['not_before_parts'])})(?!\p{{L}})|\p{{Lu}}|\n",
                                 regex.V1)
DASH_ITEM = regex.compile(r"(?:^|\s)[-–](?:\s|$)")
# a part's own 'gồm' / 'trong đó' makes a nested list; 'cụ thể:' after a list introduces its items, not sub-parts
NESTED = regex.compile(rf"(?<!\p{{L}})(?:{alternation(w for w in COUNT_WORDS['parts_follow'] if not w.startswith('cụ thể'))})"
                       r"(?!\p{L})", regex.V1 | regex.I)
# between two parts of one list: the first part's own words (names after a colon too), then a separator
PART_SEP = regex.compile(r"(?:[,;]|(?<!\p{L})(?:và|cùng))[^\S\n]*+(?:\n\s*+(?:[-–+•*]|[a-zđ]\))?\s*+)?$"
                         r"|(?<!\s)[^\S\n]*+\n\s*+(?:[-–+•*]|[a-zđ]\))\s*+$",
                         regex.V1)
CLAUSE_END = regex.compile(r"[.!?](?=\s|$)|\n\s*\n")
# where a list of parts ends: a sentence end, a colon (the items that follow it are another list), or a line
# that is not another item of the list
LIST_END = regex.compile(r"[.!?:](?=\s|$)|\n(?![ \t]*(?:[-–+•*]|[a-zđ]\))[ \t])")
NAMES_COLON = regex.compile(r"[ \t]*:")
APPROX_BEFORE = regex.compile(rf"(?<!\p{{L}})(?:{alternation(COUNT_WORDS['approx_before'])})\s*$", regex.V1 | regex.I)
FULL_BREAKDOWN = whole_words(COUNT_WORDS['full_breakdown'], regex.V1 | regex.I)
SUBSET = regex.compile(r"(?<!\p{L})trong\s+đó(?!\p{L})", regex.V1 | regex.I)
PART_HEADS = sorted(((k.lower(), frozenset(v)) for k, v in COUNT_WORDS["part_heads"].items()), key=lambda kv: -len(kv[0]))
DIGIT_RUN = regex.compile(r"\d+")


def breakdown_promised(before: str, between: str) -> bool:
    """Whether a total with ``before`` just before its number and ``between`` between it and its first part
    promises that its parts make it: 'gồm', 'bao gồm', 'cụ thể' do, 'trong đó' names a subset (which need
    not add up), and an approximate total ('hơn 100 đảo') promises nothing."""
    return bool(FULL_BREAKDOWN.search(between)) and not SUBSET.search(between) and not APPROX_BEFORE.search(before)


def approximate(before: str) -> bool:
    """Whether the words just before a number make it approximate ('hơn', 'khoảng', 'gần')."""
    return bool(APPROX_BEFORE.search(before))


def _link_count_parts(text: str, counts: list[Count], quantities=list, taken=()) -> list[Count]:
    """'10 văn bản, gồm: 03 chỉ thị, 05 kế hoạch, 02 công văn': the three are parts of the ten.  Only where
    the list is plain: right after the total, parts that name what it counts (or its kinds), no part with
    parts of its own, and no other number in the list (a part the extractor did not read; ``quantities()``
    gives every number of the text)."""
    from dataclasses import replace
    out = list(counts)
    for i in range(len(counts) - 1):
        parts = _parts_of(text, counts, i, quantities, taken)
        for j in parts:
            out[j] = replace(out[j], parent=i)
    return out


def _parts_of(text: str, counts: list[Count], i: int, quantities, taken) -> list[int]:
    total = counts[i]
    m = CONNECTOR.fullmatch(text, total.end, counts[i + 1].start)
    if not m or not _own_words_ok(text, m, total):
        return []
    parts = [i + 1]
    for j in range(i + 2, len(counts)):
        between = text[counts[j - 1].end:counts[j].start]
        if len(between) > 250 or CLAUSE_END.search(between):
            break
        if NESTED.search(between):
            return []   # a part with parts of its own: a nested list
        if DIGIT_RUN.search(between) or not PART_SEP.search(between):
            break
        parts.append(j)
    if not all(_names_a_kind_of(total, counts[j]) for j in parts):
        return []
    # the list ends at its sentence's end: a number left in it that is no part is a part not read
    last = counts[parts[-1]]
    names = NAMES_COLON.match(text, last.end)    # '… và 6 xã: Hàm Rồng, …': the last part's names are in the list
    end_m = LIST_END.search(text, names.end() if names else last.end, min(len(text), last.end + 400))
    end = end_m.start() if end_m else min(len(text), last.end + 400)
    if NESTED.search(text, last.end, end):
        return []
    spans = [(counts[j].start, counts[j].end) for j in parts]
    inside = _merge(list(taken) + spans)
    lo = counts[parts[0]].start
    if any(not _overlaps(inside, d.start(), d.end()) for d in DIGIT_RUN.finditer(text, lo, end)):
        return []
    if any(lo <= q.start < end and not _overlaps(inside, q.start, q.end) for q in quantities()):
        return []
    # … and so is a kind named without a number ('6 xã: …, Tam Giang và thị trấn Năm Căn')
    kind = _kind_word(frozenset(_kinds_of(total) or ()) | {counts[j].head.lower() for j in parts} | {total.head.lower()})
    gaps = [(a, b) for (_, a), (b, _) in zip(spans, spans[1:] + [(end, end)])]
    if any(kind.search(text, a, b) for a, b in gaps):
        return []
    return parts


@functools.lru_cache(maxsize=512)
def _kind_word(words: frozenset[str]) -> regex.Pattern:
    # as written, lower-case: 'và thị trấn Năm Căn' is a part without its number, 'Trường THPT chuyên …' a name
    return regex.compile(rf"(?<!\p{{L}})(?:{alternation(words)})(?!\p{{L}})", regex.V1)


def _own_words_ok(text: str, m, total: Count) -> bool:
    """The words between a total and its 'gồm' are its own: no list item, no number but an identifier
    ('Đề án 242'); and unless the total names a kind with kinds of its own ('văn bản', 'đơn vị hành chính',
    whose parts the vocabulary tells), a few words that open no other clause and name nothing."""
    own = m["own"]
    if DASH_ITEM.search(own):
        return False
    for d in DIGIT_RUN.finditer(text, m.start("own"), m.end("own")):
        if not NOT_AFTER.search(text, max(0, d.start() - 25), d.start()):
            return False
    if _kinds_of(total) is not None:
        return True
    return len(own) <= 80 and not NOT_BEFORE_PARTS.search(own)


def _kinds_of(total: Count) -> frozenset[str] | None:
    """The heads of the kinds of what ``total`` counts, when the vocabulary knows them."""
    unit = total.unit.lower()
    for head, kinds in PART_HEADS:
        if unit.startswith(head):
            return kinds
    return _type_words() if unit.startswith("văn bản") else None


def _names_a_kind_of(total: Count, part: Count) -> bool:
    """Whether ``part`` counts what ``total`` counts ('dự án' and 'dự án', 'cuộc' and 'cuộc kiểm tra') or one
    of its kinds ('đơn vị hành chính' and 'xã', 'văn bản' and 'kế hoạch')."""
    t, p = total.head.lower(), part.head.lower()
    if p == t or p.startswith(t + " ") or t.startswith(p + " "):
        return True
    kinds = _kinds_of(total)
    return kinds is not None and bool({p, part.unit.lower()} & kinds)


@functools.cache
def _type_words() -> frozenset[str]:
    from ..vocab import type_by_word
    return frozenset(type_by_word())


ITEMS_FOLLOW = regex.compile(r"\s*,?\s*(?:cụ\s+thể|như\s+sau|gồm\s+các\s+văn\s+bản)\s*:", regex.V1 | regex.I)
VAN_BAN = regex.compile(r"văn\s+bản", regex.V1 | regex.I)
ROW_START = regex.compile(r"(?:^|\n)[ \t]*(?:\d{1,3}[.)]?[ \t]*\n?[ \t]*)?$")   # a citation first on its row
ITEMS_END = regex.compile(r"(?<!\s)\n\s*+(?:\d+\.|[IVX]+\.|[a-zđ]\))\s+\p{Lu}", regex.V1)


def count_list_items(text: str, counts: list[Count], cites: list) -> list[tuple[int, int]]:
    """(count, citation) pairs for a stated number of documents followed by the list of them:
    '… 10 văn bản, gồm: …, cụ thể:' then one document per row.  A row's first citation is its item."""
    out = []
    for i, c in enumerate(counts):
        if c.parent is not None or not VAN_BAN.match(c.head):
            continue
        last = max([k for k, p in enumerate(counts) if p.parent == i] + [i])
        im = ITEMS_FOLLOW.match(text, counts[last].end)
        if not im:
            continue
        end_m = ITEMS_END.search(text, im.end(), min(len(text), im.end() + 6000))
        hi = end_m.start() if end_m else min(len(text), im.end() + 6000)
        for k, cite in enumerate(cites):
            if im.end() <= cite.start < hi and ROW_START.search(text[max(0, cite.start - 8):cite.start]):
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
        after_classifier = len(toks) == 1 and toks[0].lower() in CLASSIFIERS
        if (word.lower() in STOP_WORDS and not (after_classifier and word.lower() in AFTER_CLASSIFIER)) or tag in STOP_TAGS \
                or DIGIT.match(word) or (toks and word.lower() in TRAILING_STOPS):
            if DIGIT.match(word) or tag == "M":
                _drop_measure(toks)   # '02 ảnh cỡ 30 mm': the size is not part of what is counted
            if tag == "Np":
                _drop_name_head(toks)
            break
        # a verb ends the phrase, except right after a classifier ('đợt khảo sát') or first
        # (the tagger reads some counted nouns as verbs: '1.120 cuộc', '814 cuốn', '04 quyết định')
        if tag.startswith("V") and toks and not (after_classifier and word.lower().split()[0] not in VERBS_AFTER_CLASSIFIER):
            break
        # a name after what is counted ends it ('hai châu Quy Hóa', also when the segmenter glued them)
        first = (toks[0] if toks else word).split(" ")[0]
        if not TITLE.match(first):
            parts = word.split(" ")
            keep = next((k for k, p in enumerate(parts) if TITLE.match(p)), len(parts))
            if keep < len(parts):
                if keep:
                    toks.append(" ".join(parts[:keep]))
                _drop_name_head(toks)
                break
        if not toks and not (tag.startswith("N") or word.lower() in CLASSIFIERS or word.lower() in _type_words()):
            return "", ""  # what follows the number is not a noun: not a count
        toks.append(word)
        if len(toks) >= 5:
            break
    if not toks:
        return "", ""
    head = f"{toks[0]} {toks[1]}" if toks[0].lower() in CLASSIFIERS and len(toks) > 1 else toks[0]
    return " ".join(toks), head


def _drop_name_head(toks: list[str]) -> None:
    """Drop the word that names what follows it ('nhóm' in 'vị nhân sĩ nhóm Caravelle') before a name."""
    if len(toks) > 1 and toks[-1].lower() in NAME_HEADS and not (len(toks) == 2 and toks[0].lower() in CLASSIFIERS):
        toks.pop()


def _drop_measure(toks: list[str]) -> None:
    """Drop a measure word ('cỡ', 'cao', 'kích thước') that ends ``toks`` before a number."""
    for n in (2, 1):
        if len(toks) > n and " ".join(toks[-n:]).lower() in MEASURE_WORDS:
            del toks[-n:]
            return


def _match_words(words: list[str], text: str) -> int | None:
    r"""Where ``words`` end when they start ``text`` (spaces before, between: at least one), else None:
    ``regex.match(r"\s*w1\s+w2…", text)`` without compiling a pattern per phrase."""
    pos, n = 0, len(text)
    for k, w in enumerate(words):
        start = pos
        while pos < n and text[pos].isspace():
            pos += 1
        if (k and pos == start) or not text.startswith(w, pos):
            return None
        pos += len(w)
    return pos


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


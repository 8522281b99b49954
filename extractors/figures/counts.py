"""Counts: other numbers with the thing they count (the noun phrase through underthesea's tagger)."""
from __future__ import annotations

import functools
import re
import regex
from ..models import Count
from ..numbers import find_quantities
from ..vocab import WS
from .context import RULE_FLAGS, WORDS, alternation


COUNT_WORDS = WORDS["counts"]
CLASSIFIERS = frozenset(COUNT_WORDS["classifiers"])
NOT_UNIT = regex.compile(rf"\s*(?:{alternation(COUNT_WORDS['not_units'])})(?!\p{{L}})", RULE_FLAGS)
NOT_AFTER = regex.compile(rf"(?<!\p{{L}})(?:{alternation(COUNT_WORDS['not_after'])})\s*:?\s*$", regex.V1)
TAG_WORDS = 8          # words after a number given to the tagger
DIGIT = re.compile(r"\d")
AFTER_RANGE_OR_LIST = regex.compile(r"(?:[-–]|\d\s*,|\d\s+(?:và|hoặc))\s*$", regex.V1)
YEAR = regex.compile(r"(?:19|20)\d\d")
WORD_NEXT = regex.compile(r"(?<![ \t])[ \t]*+\n?[ \t]*+\p{L}", regex.V1)
FRAGMENT_END = regex.compile(r"\n\s*\n|[.;!?](?:\s|$)")
STOP_TAGS = {"E", "C", "CC", "CH", "P", "R", "L", "T", "X", "M", "Np"}
STOP_WORDS = {"của", "tại", "với", "và", "trên", "cho", "theo", "là", "được", "để", "trong", "từ", "đến", "có",
              "này", "đó", "gồm", "thuộc", "về", "khi", "như", "hoặc", "mỗi", "các", "những"}


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
    """The features of underthesea's CRFPOSTagPredictor template, token by token (column 1 is 'X')."""
    n = len(w)
    low = [x.lower() for x in w]
    title = [_istitle(x) for x in w]

    def at(k: int, i: int, vals: list[str]) -> str:
        j = i + k
        return "BOS" if j < 0 else "EOS" if j >= n else vals[j]

    def span(a: int, b: int, i: int) -> str:
        if i + a < 0:
            return "BOS"
        if i + a >= n or i + b >= n:
            return "EOS"
        return " ".join(w[i + a:i + b + 1])

    out = []
    for i in range(n):
        f = [f"T[{k}].lower={at(k, i, low)}" for k in (-2, -1, 0, 1, 2)]
        f += [f"T[{k}].istitle={at(k, i, title)}" for k in (0, -1, 1)]
        f += [f"T[{k}]={at(k, i, w)}" for k in (-2, -1, 0, 1, 2)]
        f += [f"T[{a},{b}]={span(a, b, i)}" for a, b in ((-2, -1), (-1, 0), (0, 1), (1, 2))]
        f += [f"T[{k}][1]={'BOS' if i + k < 0 else 'X'}" for k in (-3, -2, -1)]
        f += [f"T[-3,-2][1]={'BOS' if i < 3 else 'X X'}", f"T[-2,-1][1]={'BOS' if i < 2 else 'X X'}"]
        out.append(f)
    return out


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
        pm_end = _match_words(phrase.split(), rest)
        if pm_end is None:
            continue
        end = q.end + pm_end
        out.append(Count(q.start, end, text[q.start:end], int(q.value), phrase, head))
    return _link_count_parts(text, out)


COUNT_PARTS = regex.compile(r"^[^.;]{0,160}?(?<!\p{L})(?:gồm|bao\s+gồm|trong\s+đó)\s*:?\s*$", regex.V1 | regex.I)
# between two parts of one list: nothing but a separator, or the first part's own words and then one
# ('199 dự án, cơ sở đang hoạt động; 18 dự án …', '2 thị trấn thuộc huyện A và 19 xã'); never a sentence end
PART_JOIN = regex.compile(r"^(?:[^.;:\n]{0,100}?(?:,|;|(?<!\p{L})và))?\s*+$", regex.V1)
ITEMS_FOLLOW = regex.compile(r"\s*,?\s*(?:cụ\s+thể|như\s+sau|gồm\s+các\s+văn\s+bản)\s*:", regex.V1 | regex.I)
VAN_BAN = regex.compile(r"văn\s+bản", regex.V1 | regex.I)
ROW_START = regex.compile(r"(?:^|\n)[ \t]*(?:\d{1,3}[.)]?[ \t]*\n?[ \t]*)?$")   # a citation first on its row
LIST_END = regex.compile(r"(?<!\s)\n\s*+(?:\d+\.|[IVX]+\.|[a-zđ]\))\s+\p{Lu}", regex.V1)


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
        if c.parent is not None or not VAN_BAN.match(c.head):
            continue
        last = max([k for k, p in enumerate(counts) if p.parent == i] + [i])
        im = ITEMS_FOLLOW.match(text, counts[last].end)
        if not im:
            continue
        end_m = LIST_END.search(text, im.end(), min(len(text), im.end() + 6000))
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


"""The regular expressions that are rules, built from small named fragments and compiled once.

Type words come from ``data/doc_types.yaml``; everything here is structure (how a số hiệu,
a date or a pinpoint is written), not vocabulary.
"""
from __future__ import annotations

import regex

from . import vocab

RULE_FLAGS = regex.V1 | regex.VERBOSE
RULE_FLAGS_I = RULE_FLAGS | regex.IGNORECASE

# --- dates -------------------------------------------------------------------------------------
DAY = r"\d{1,2}"
MONTH = r"\d{1,2}"
YEAR = r"\d{4}"
# 23/7/2012, 23-7-2012, 23.7.2012, 15 / 5 /2026: one separator kind per date (66.7/2025/NQ-CP is a
# số hiệu), not inside a run of digits and dashes (ISBN 978-0-19-8245-112, doi:…-88.3.1992), and not
# followed by a symbol ('12/7/2025/NQ-CP')
NUMERIC_DATE = (rf"(?<![\d\-])(?P<d>{DAY})\s?(?P<sep>[/.\-])\s?(?P<m>{MONTH})\s?(?P=sep)\s?(?P<y>{YEAR})"
                rf"(?![\d\-]|\s?/\s?\p{{Lu}})")
# 23 tháng 7 năm 2012 (also 'tháng 7/2012')
WORDED_DATE = rf"(?P<d2>{DAY})\s*tháng\s*(?P<m2>{MONTH})\s*(?:,\s*)?(?:năm\s*|/\s*)(?P<y2>{YEAR})(?!\d)"
DATE = rf"(?:{WORDED_DATE}|{NUMERIC_DATE})"
# a date introduced by 'ngày' (the form used with citations and on the date line)
NGAY_DATE = regex.compile(rf"(?<!\p{{L}})ngày\s*{DATE}", RULE_FLAGS_I)
# (a date starts with 'ngày' or a digit: the lookahead spares the lookbehinds at every other position;
# find_dates tries it only where starts.date_starts says a date can start: change both together)
ANY_DATE = regex.compile(rf"(?=ngày|\d)(?<![\d/.])(?:ngày\s*)?{DATE}", RULE_FLAGS_I)

# --- số hiệu -----------------------------------------------------------------------------------
# one segment of a symbol: starts with a capital (NĐ, CP, TTg, KGVX, XDKT&TDTHPL, QH15)
SEG = r"\p{Lu}[\p{L}\d&]*(?:\.[\p{L}\d&]+)*"
# a later segment, after a hyphen that may stand apart from it ('KH- UBND', 'TTr -SCT')
SEG_CAPS = r"\p{Lu}[\p{Lu}\d&]*\p{Lu}[\p{Lu}\d&]*"
SYMBOL = rf"{SEG}(?:-{SEG}|\x20?-\x20?{SEG_CAPS}(?![\p{{Ll}}]))*"
# 59, 05a, and the dotted numbers of a series (Nghị quyết số 66.7/2025/NQ-CP), the latter only before a year
NUMBER = r"(?<![\p{L}\d/.,:])(?:\d{1,3}\.\d{1,2}(?=\s?/\s?\d{4}\s?/)|\d{1,5}[a-z]?)"
# (find_citations tries it only where starts.ref_starts says one can start: a new form needs its start there)
REF_RE = regex.compile(
    rf"""
    (?P<ref>
        (?P<std>QCVN|TCVN)\s?(?P<snum>\d+[\d\-.]*):(?P<syear>\d{{4}})(?:\s?/\s?(?P<ssym>{SEG}(?:-{SEG})*))?  # QCVN 01:2019/BCT
      | (?P<pnum>{NUMBER})-(?P<pcode>\p{{Lu}}[\p{{L}}]*)\s?/\s?(?P<porg>{SEG}(?:-{SEG})*)                    # 21-NQ/TW (party)
      | (?P<num>{NUMBER})\s?/\s?(?:(?P<year>\d{{4}})\s?/\s?)?(?P<sym>{SYMBOL})                              # 59/2012/NĐ-CP, 242/QĐ-TTg
    )
    """, RULE_FLAGS)

# --- type words --------------------------------------------------------------------------------


TYPE_WORD = vocab.alternation(vocab.type_by_word())
# the type word, then 'số' or 'số:' — right before the số hiệu
TYPE_BEFORE = regex.compile(rf"(?<!\p{{L}})(?<!(?i:sắc)\s)(?P<tw>{TYPE_WORD})\s*(?:(?:số|so)\s*:?\s*)?$", RULE_FLAGS_I)
SO_BEFORE = regex.compile(r"(?<!\p{L})(?:số|So|Số)\s*:?\s*$", regex.V1)
HEADER_SO = regex.compile(r"(?<!\p{L})Số\s*:\s*$|(?<!\p{L})Số\s*$", regex.V1)
LIST_JOIN = regex.compile(r"^\s*(?:,|;|và|hoặc|,\s*và|;\s*và)\s*(?:(?:các\s+)?(?:số|so)\s*:?\s*)?$", RULE_FLAGS_I)

# --- dates written with a mention --------------------------------------------------------------
# 'ngày' in lower case: a capital 'Ngày 09 tháng 12 năm 2025, Bộ … đã ban hành' opens the next sentence
DATE_AFTER = regex.compile(
    rf"[\s,]*(?:\(\s*)?(?:được\s+|đã\s+)?(?:ký\s+|ban\s+hành\s+|ban\s+hành\s+vào\s+)?(?-i:ngày|NGÀY)\s*{DATE}", RULE_FLAGS_I)
# the portal form of a dotted số hiệu, 'Nghị quyết 66 10/2025/NQ-CP' (66.10/2025/NQ-CP): the series number before it
SERIES_BEFORE = regex.compile(r"(?<![\d.,/])(?P<series>\d{1,3})\x20$", regex.V1)
DATE_LEADS_SENTENCE = regex.compile(rf"(?:^|(?<=[.;:!?\n]\s*))Ngày\s*{DATE}\s*,", RULE_FLAGS)

# --- pinpoints ---------------------------------------------------------------------------------
PIN_ITEM = r"""(?:
      điểm\s+(?:[a-zđ]\d?)(?:\s*,\s*(?:điểm\s+)?[a-zđ]\d?(?![\p{L}\d]))*
    | khoản\s+\d+[a-zđ]?(?:\s*,\s*(?:khoản\s+)?\d+(?!\s*/))*
    | điều\s+\d+[a-zđ]?(?:\s*,\s*\d+(?![\d/]))*
    | mục\s+[\dIVXLC][\dIVXLC.\-]*[\dIVXLC]
    | mục\s+[\dIVXLC]
    | phụ\s+lục\s+(?:số\s+)?[\dIVXLC]+
    | chương\s+[IVXLC\d]+
)"""
PIN_CHAIN = regex.compile(
    rf"(?P<chain>{PIN_ITEM}(?:\s*(?:,|;|và|hoặc)?\s*{PIN_ITEM})*)\s*(?:,\s*)?(?:của\s+|tại\s+|theo\s+)?$", RULE_FLAGS_I)
PIN_PART = regex.compile(
    r"(?P<kind>điểm|khoản|điều|mục|phụ\s+lục|chương)\s+(?:số\s+)?(?P<val>[\dIVXLCa-zđ][\w.\-]*?)(?=[\s,;]|$)", RULE_FLAGS_I)

# --- named laws --------------------------------------------------------------------------------
# (named_laws tries it only where starts.law_starts finds a law word: a new word needs its letters there)
LAW_WORD = regex.compile(r"(?<![\p{L}])(?<!(?i:pháp|dự\s+án|văn\s+bản|dự\s+thảo|sắc)\s)(?P<w>Hiến\s+pháp|Bộ\s+luật|Luật|Pháp\s+lệnh|HIẾN\s+PHÁP|BỘ\s+LUẬT|LUẬT|PHÁP\s+LỆNH)(?=\s)", regex.V1)
AMENDING = regex.compile(
    r"\s+(?P<amend>sửa\s+đổi,?\s+bổ\s+sung(?:\s+một\s+số\s+điều)?(?:\s+của)?(?:\s+các)?\s+)(?=(?:Bộ\s+luật|Luật|BỘ\s+LUẬT|LUẬT)\s)", RULE_FLAGS_I)
NAME_WORD = regex.compile(r"(?<!\s)\s++(?P<w>[\p{L}\d][\p{L}\d\-]*+)", regex.V1)
NAME_STOP = frozenset("""ngày số năm của được đã và về này thì theo tại trên có nhằm để cho với trong do khi đến từ
    sửa là các những thuộc đang sẽ mà hoặc gồm như nêu đối vào qua hiện hết sau trước bằng nay mới ban""".split())

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
# 23/7/2012, 23-7-2012, 23.7.2012, 15 / 5 /2026
NUMERIC_DATE = rf"(?P<d>{DAY})\s?[/.\-]\s?(?P<m>{MONTH})\s?[/.\-]\s?(?P<y>{YEAR})(?!\d)"
# 23 tháng 7 năm 2012 (also 'tháng 7/2012')
WORDED_DATE = rf"(?P<d2>{DAY})\s*tháng\s*(?P<m2>{MONTH})\s*(?:,\s*)?(?:năm\s*|/\s*)(?P<y2>{YEAR})(?!\d)"
DATE = rf"(?:{WORDED_DATE}|{NUMERIC_DATE})"
# a date introduced by 'ngày' (the form used with citations and on the date line)
NGAY_DATE = regex.compile(rf"(?<!\p{{L}})ngày\s*{DATE}", RULE_FLAGS_I)
ANY_DATE = regex.compile(rf"(?<![\d/.])(?:ngày\s*)?{DATE}", RULE_FLAGS_I)

# --- số hiệu -----------------------------------------------------------------------------------
# one segment of a symbol: starts with a capital (NĐ, CP, TTg, KGVX, XDKT&TDTHPL, QH15)
SEG = r"\p{Lu}[\p{L}\d&]*(?:\.[\p{L}\d&]+)*"
# a later segment, after a hyphen that may stand apart from it ('KH- UBND', 'TTr -SCT')
SEG_CAPS = r"\p{Lu}[\p{Lu}\d&]*\p{Lu}[\p{Lu}\d&]*"
SYMBOL = rf"{SEG}(?:-{SEG}|\x20?-\x20?{SEG_CAPS}(?![\p{{Ll}}]))*"
NUMBER = r"(?<![\p{L}\d/.,:])\d{1,5}[a-z]?"
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
TYPE_BEFORE = regex.compile(rf"(?<!\p{{L}})(?P<tw>{TYPE_WORD})\s*(?:(?:số|so)\s*:?\s*)?$", RULE_FLAGS_I)
SO_BEFORE = regex.compile(r"(?<!\p{L})(?:số|So|Số)\s*:?\s*$", regex.V1)
HEADER_SO = regex.compile(r"(?<!\p{L})Số\s*:\s*$|(?<!\p{L})Số\s*$", regex.V1)
LIST_JOIN = regex.compile(r"^\s*(?:,|;|và|hoặc|,\s*và|;\s*và)\s*(?:(?:các\s+)?(?:số|so)\s*:?\s*)?$", RULE_FLAGS_I)

# --- dates written with a mention --------------------------------------------------------------
DATE_AFTER = regex.compile(
    rf"[\s,]*(?:\(\s*)?(?:được\s+|đã\s+)?(?:ký\s+|ban\s+hành\s+|ban\s+hành\s+vào\s+)?ngày\s*{DATE}", RULE_FLAGS_I)
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
LAW_WORD = regex.compile(r"(?<![\p{L}])(?<!(?i:pháp|dự\s+án|văn\s+bản|dự\s+thảo)\s)(?P<w>Hiến\s+pháp|Bộ\s+luật|Luật|Pháp\s+lệnh|HIẾN\s+PHÁP|BỘ\s+LUẬT|LUẬT|PHÁP\s+LỆNH)(?=\s)", regex.V1)
AMENDING = regex.compile(
    r"\s+(?P<amend>sửa\s+đổi,?\s+bổ\s+sung(?:\s+một\s+số\s+điều)?(?:\s+của)?(?:\s+các)?\s+)(?=(?:Bộ\s+luật|Luật|BỘ\s+LUẬT|LUẬT)\s)", RULE_FLAGS_I)
NAME_WORD = regex.compile(r"\s+(?P<w>[\p{L}\d][\p{L}\d\-]*)", regex.V1)
NAME_STOP = frozenset("""ngày số năm của được đã và về này thì theo tại trên có nhằm để cho với trong do khi đến từ
    sửa là các những thuộc đang sẽ mà hoặc gồm như nêu đối vào qua hiện hết sau trước bằng nay mới ban""".split())

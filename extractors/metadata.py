"""What a document says about itself: issuer, province, type, số hiệu, date, subject, recipients, signer.

Administrative documents follow one layout (Nghị định 30/2020/NĐ-CP): an issuer block and the
national motto at the top, ``Số: …`` under the issuer, the place-date line under the motto,
the type in capitals with the trích yếu below it (or ``V/v …`` for a Công văn), ``Kính gửi``,
the body, then ``Nơi nhận`` and the signature block.  Pages saved from portals and news items
keep only parts of it; every field is looked for on its own.
"""
from __future__ import annotations

import collections
import functools
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import regex

from . import patterns as P
from . import vocab
from .models import Citation, DocumentMeta, Span
from .vocab import MOTTO, WS

RULE_FLAGS_I = regex.V1 | regex.IGNORECASE
OWN_REF = regex.compile(rf"(?<!\p{{L}})Số\s*:?\s*(?P<ref>(?:{P.NUMBER})?\s?/\s?(?:\d{{4}}\s?/\s?)?{P.SYMBOL}|\d+-\p{{Lu}}+/{P.SEG})", regex.V1)
# the place-date line: at the start of a line (or of a table cell, or after 'Số: …' in the same header row), a
# place of at most five words ('Hà Nội', 'TP. Hồ Chí Minh', 'Phú Yên'), then the date; never 'Căn cứ Luật … ngày …'
LINE_DATE = r"ngày\s*(?P<d>\d{1,2}|\.{2,}|…+)?\s*(?:\d\s*)?tháng\s*(?P<m>\d{1,2}|\.{2,}|…+)\s*năm\s*(?P<y>\d{4})"
DATE_LINE = regex.compile(
    r"(?:^|(?<=\n|\|)|(?<=(?i:Số)\s*:?[^\n]{0,40}?\s))[ \t|*_>#]*"
    rf"(?P<place>\p{{Lu}}[\p{{L}}.\-]*(?:[ \t]+[\p{{L}}.\-]+){{0,4}}?)\s*,?\s*{LINE_DATE}", regex.V1)
# the date of a place-date line alone: it opens with a literal, so it is found fast, and DATE_LINE is then
# searched only from the line its place is on (see date_line_search)
LINE_DATE_RE = regex.compile(LINE_DATE, regex.V1)
NOT_PLACE = regex.compile(r"(?<!\p{L})(?:Căn|cứ|Luật|luật|số|Số|của|Nghị|Quyết|Thông|Đề|Chỉ|Kế|Công|văn|bản|sinh|từ|Ngày|ngày|"
                          r"thành\s+lập|Theo|theo|tại|và|được|Hỏi|đáp)(?!\p{L})", regex.V1)
VV = regex.compile(r"(?<!\p{L})(?:V/v|V/V|Về việc)\b", regex.V1)
KINH_GUI = regex.compile(r"Kính\s+gửi\s*:?", RULE_FLAGS_I)
NOI_NHAN = regex.compile(r"(?<!\p{L})Nơi\s+nhận\s*:?", RULE_FLAGS_I)
SIGN_TITLE = regex.compile(
    r"(?:(?:TM|KT|TL|TUQ|Q|T/M|K/T|T/L)\.?\s*[\p{Lu} ,.\-]{2,60}\n\s*)*"
    r"(?:(?:TM|KT|TL|TUQ|Q|T/M|K/T|T/L)\.?\s*)?(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|GIÁM\s+ĐỐC|BỘ\s+TRƯỞNG|THỦ\s+TƯỚNG|CHÁNH\s+VĂN\s+PHÒNG|"
    r"TRƯỞNG\s+[\p{Lu} ]{2,40}|BÍ\s+THƯ|CỤC\s+TRƯỞNG|VỤ\s+TRƯỞNG|CHÁNH\s+THANH\s+TRA|GIÁM\s+ĐỐC\s+SỞ|TỔNG\s+[\p{Lu} ]{2,30})\b[\p{Lu} ]*",
    regex.V1)
PERSON = regex.compile(r"^(?:(?:Đại|Thượng|Trung)\s+tướng\s+|(?:TS|ThS|PGS|GS)\.?\s*)?(?P<name>\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){1,4})\s*$", regex.V1)
HEADINGS = ("BÁO CÁO", "KẾ HOẠCH", "QUYẾT ĐỊNH", "CHỈ THỊ", "THÔNG BÁO", "THÔNG TƯ", "THÔNG TƯ LIÊN TỊCH", "NGHỊ ĐỊNH",
            "NGHỊ QUYẾT", "TỜ TRÌNH", "HƯỚNG DẪN", "CHƯƠNG TRÌNH", "ĐỀ ÁN", "PHƯƠNG ÁN", "CÔNG ĐIỆN", "QUY CHẾ", "QUY ĐỊNH",
            "LUẬT", "PHÁP LỆNH", "KẾT LUẬN", "CÔNG VĂN")
# a line that is the type in capitals and nothing else
TYPE_HEADING = regex.compile(rf"^[^\S\n]*+(?P<t>{'|'.join(HEADINGS)})[^\S\n]*+$", regex.V1 | regex.MULTILINE)
# the headings as plain words: the lines TYPE_HEADING is tried on (see heading_search)
HEADING_WORDS = re.compile("|".join(HEADINGS))
NATIONAL_ISSUER = regex.compile(r"^(BỘ\s|CHÍNH\s+PHỦ|THỦ\s+TƯỚNG|QUỐC\s+HỘI|ỦY\s+BAN\s+THƯỜNG\s+VỤ|VĂN\s+PHÒNG\s+CHÍNH\s+PHỦ|"
                                r"TÒA\s+ÁN\s+NHÂN\s+DÂN\s+TỐI\s+CAO|VIỆN\s+KIỂM\s+SÁT\s+NHÂN\s+DÂN\s+TỐI\s+CAO|NGÂN\s+HÀNG\s+NHÀ\s+NƯỚC|"
                                r"KIỂM\s+TOÁN\s+NHÀ\s+NƯỚC|THANH\s+TRA\s+CHÍNH\s+PHỦ|BAN\s+CHẤP\s+HÀNH\s+TRUNG\s+ƯƠNG|CỤC\s|TỔNG\s+CỤC)", RULE_FLAGS_I)
ISSUER_LINE = regex.compile(r"^(?:(?:Ủ|Uỷ|UỶ|ỦY|Ủy)\s*BAN|HỘI\s+ĐỒNG|SỞ\s|BỘ\s|CHÍNH\s+PHỦ|THỦ\s+TƯỚNG|QUỐC\s+HỘI|VĂN\s+PHÒNG|"
                            r"THANH\s+TRA|CỤC\s|TỔNG\s+CỤC|BAN\s|TỈNH\s+ỦY|THÀNH\s+ỦY|ĐOÀN|TRUNG\s+TÂM|PHÒNG\s|CÔNG\s+AN|"
                            r"TÒA\s+ÁN|VIỆN\s+KIỂM\s+SÁT|NGÂN\s+HÀNG|KIỂM\s+TOÁN|BỘ\s+CHỈ\s+HUY|UBND)", RULE_FLAGS_I)
# the first line of the body, under the trích yếu
SUBJECT_STOP = regex.compile(r"(Căn cứ|Thực hiện|Kính gửi|Theo (?:đề nghị|quy định)|Để|Trong|Ngày|I\.|1\.|Sau|Nhằm|Trên)\b")

REF_PARTS = regex.compile(r"[/\-]")
PROVINCE_WORD = regex.compile(r"(?<!\p{L})(?:tỉnh|thành\s+phố|TỈNH|THÀNH\s+PHỐ|Tỉnh|Thành\s+phố)\s+", regex.V1)
GOV_EMAIL = regex.compile(r"[\w.\-]+@(?:[\w\-]+\.)*?([\w\-]+)\.gov\.vn")
GOV_URL = regex.compile(r"(?:https?://)?(?:[\w\-]+\.)*?([\w\-]+)\.gov\.vn")
NON_LETTER = regex.compile(r"[^\p{L}]")
# a list item's mark ('- ', '• ') on a new line, or a ';' ending a line; a mark is looked for only from the first
# line break of a whitespace run (from a later one it would see the same run end: no other match), so a long
# run of blank lines is read once
RECIPIENT_SPLIT = regex.compile(r"\n(?<!\n[^\S\n]*\n)\s*+[-–•]\s*|;\s*\n")
# what ends the list (matched at an item's start; never inside a run of digits or numerals)
RECIPIENTS_END = regex.compile(r"(?<![\dIVX])(?:\d+\.|[IVX]+\.|Căn cứ|Thực hiện|Theo|Để|Ngày)")
# the signer's name at the end of a line that also holds the title (cells joined), unless running text precedes it
NAME_AT_END = regex.compile(r"(?:(?:Đại|Thượng|Trung)\s+tướng\s+)?(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){1,4})\s*\|?\s*$")
TWO_LOWER_WORDS = regex.compile(r"\p{Ll}{2,}\s+\p{Ll}{2,}")
GENERAL_NAME = regex.compile(r"(?:(?:Đại|Thượng|Trung)\s+tướng\s+)(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){1,4})")


def _fold(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn").lower()


@functools.cache
def _province_patterns():
    pats = []
    for p in vocab.provinces():
        for name in (p.name,) + p.aliases:
            pats.append((name, p))
    pats.sort(key=lambda x: -len(x[0]))
    alt = "|".join(regex.escape(n).replace(r"\ ", r"\s+") for n, _ in pats)
    by_name = {_fold(n): p for n, p in pats}
    return regex.compile(rf"(?<!\p{{L}})(?:{alt})(?!\p{{L}})", RULE_FLAGS_I), by_name


def _province_of(m: regex.Match) -> str:
    return _province_patterns()[1][_fold(WS.sub(" ", m.group()))].name


CITY_BEFORE = regex.compile(r"(?:thành\s+phố|tp\.?)\s*$", regex.V1 | regex.I)


def _is_person(text: str, m: regex.Match) -> bool:
    """'Chủ tịch Hồ Chí Minh', 'tư tưởng Hồ Chí Minh': the name alone is a person, the city is 'Thành phố Hồ Chí Minh'."""
    return _fold(WS.sub(" ", m.group())) == "ho chi minh" and not CITY_BEFORE.search(text[max(0, m.start() - 12):m.start()])


def find_province(text: str) -> str | None:
    for m in _province_patterns()[0].finditer(text):
        if not _is_person(text, m):
            return _province_of(m)
    return None


def _national_ref(ref: str | None) -> bool:
    """Whether the codes of a số hiệu name only national issuers (88/2025/TT-BTC, 1702/NQ-UBTVQH15)."""
    if not ref:
        return False
    issuers = {vocab.issuer_for_segment(seg) for seg in REF_PARTS.split(ref)[1:]} - {None}
    return bool(issuers) and issuers <= vocab.national_issuers()


def _provinces_in_body(text: str, title: bool = False) -> str | None:
    """The province named most often after 'tỉnh' / 'thành phố' in the body (or a title opening with
    the bare name: 'Thái Bình: 05 năm thực hiện …')."""
    prov_re = _province_patterns()[0]
    counts = collections.Counter()
    for m in PROVINCE_WORD.finditer(text):
        pm = prov_re.match(text, m.end())
        if pm:
            counts[_province_of(pm)] += 1
    if title and not counts:
        pm = prov_re.match(text)
        if pm and not _is_person(text, pm) and text[pm.end():pm.end() + 1] == ":":
            counts[_province_of(pm)] += 1
    return counts.most_common(1)[0][0] if counts else None


@functools.cache
def _gov_domains() -> dict[str, str]:
    return {d: p.name for p in vocab.provinces() for d in p.domains}


def _province_from_email(text: str, urls: bool = True) -> str | None:
    if ".gov.vn" not in text:   # what both patterns end with
        return None
    domains = _gov_domains()
    for m in GOV_EMAIL.finditer(text) if "@" in text else ():
        if m.group(1).lower() in domains:
            return domains[m.group(1).lower()]
    for m in GOV_URL.finditer(text) if urls else ():
        if m.group(1).lower() in domains:
            return domains[m.group(1).lower()]
    return None


def _lines(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, line) of every non-empty line of ``text[start:end]``."""
    out = []
    pos = start
    for line in text[start:end].split("\n"):
        if line:
            out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


# whitespace to str.split() that regex's \\s (vocab.WS) is not
SPLIT_ONLY_SPACE = re.compile("[\x1c-\x1f]")


def _collapse(s: str) -> str:
    """Whitespace runs as one space, without the border's spaces, bars, dashes and stars."""
    if SPLIT_ONLY_SPACE.search(s):
        return WS.sub(" ", s).strip(" |-*")
    return " ".join(s.split()).strip(" |-*")


def _capitals(line: str) -> bool:
    """Whether the letters of ``line`` are capitals (at least one): ``NON_LETTER.sub("", line).isupper()``,
    told without building the string of letters when the line or its first small letter says so."""
    if line.isupper():   # no small character at all: true once a letter is a capital
        return any(c.isupper() and c.isalpha() for c in line)
    for c in line:
        if c.isalpha() and (c.islower() or (c.istitle() and not c.isupper())):
            return False   # a small (or title-case) letter
    return NON_LETTER.sub("", line).isupper()   # only characters that are not letters are small


def latest_cited_date(citations: list[Citation] | None) -> dt.date | None:
    """For an undated document: the latest date it cites (it cannot be older)."""
    dates = [c.cited_date for c in citations or () if c.cited_date]
    return max(dates) if dates else None


@dataclass(frozen=True, slots=True)
class Header:
    """The landmarks of the top of a document that several fields are read from."""

    text: str
    end: int                          # the header is looked for in text[:end]
    motto: regex.Match | None         # CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    heading: regex.Match | None       # the type in capitals (KẾ HOẠCH)
    vv: regex.Match | None            # V/v … of a Công văn

    @classmethod
    def of(cls, text: str) -> "Header":
        end = min(len(text), 2500)
        return cls(text, end, MOTTO.search(text, 0, end), heading_search(text, end), VV.search(text, 0, end))


def heading_search(text: str, end: int) -> regex.Match | None:
    """``TYPE_HEADING.search(text, 0, end)``, tried only at the start of the lines that hold a heading word
    (the first word found on the line of a match is its heading: nothing but spaces stands before it)."""
    line = -1
    for w in HEADING_WORDS.finditer(text, 0, end):
        start = text.rfind("\n", 0, w.start()) + 1
        if start != line:
            line = start
            if m := TYPE_HEADING.match(text, start, end):
                return m
    return None


def extract_metadata(text: str, citations: list[Citation] | None = None) -> DocumentMeta:
    """Every field of the document, each from its own finder below."""
    head = Header.of(text)
    spans: dict[str, Span] = {}
    ref = find_ref(text, spans)
    date_line = find_date_line(text, head)
    issue_date = date_of_line(date_line)
    if date_line:
        spans["issue_date"] = Span(date_line.start(), date_line.end(), date_line.group())
    issuer_lines = find_issuer_lines(text, head)
    issuer = " ".join(issuer_lines) or None
    doc_type = find_doc_type(head, ref)
    # an administrative document: the motto in capitals, or an issuer block with its số hiệu or place-date line
    official = bool(head.motto) or bool(issuer_lines and (ref or date_line))
    subject = find_subject(head, doc_type, spans)
    place = _collapse(date_line.group("place")) if date_line else None
    province, source = find_document_province(text, issuer, ref, place, official)
    signer, signer_title = _signature(text)
    return DocumentMeta(doc_type=doc_type, ref=ref, issue_date=issue_date,
                        issue_date_not_before=latest_cited_date(citations) if issue_date is None else None,
                        issue_date_source="date_line" if issue_date else None, official=official,
                        issuer=issuer, province=province, province_source=source, signer=signer,
                        signer_title=signer_title, subject=subject, recipients=tuple(_recipients(text, head.end)),
                        spans=spans)


def find_ref(text: str, spans: dict[str, Span]) -> str | None:
    """The document's own số hiệu, on the 'Số: …' line of the header (None when the number is left blank)."""
    om = OWN_REF.search(text, 0, min(len(text), 1500))
    if not om:
        return None
    raw = om.group("ref")
    ref = WS.sub("", raw)
    if ref.startswith("/"):
        return None  # number left blank
    spans["ref"] = Span(om.start("ref"), om.end("ref"), raw)
    return ref


def find_date_line(text: str, head: Header) -> regex.Match | None:
    """The place-date line: the document's own date (a date it cites is never its own)."""
    pos = 0
    while dm := date_line_search(text, pos, head.end):
        if not NOT_PLACE.search(dm.group("place")):
            return dm
        pos = dm.end()
    return None


def date_line_search(text: str, pos: int, endpos: int) -> regex.Match | None:
    """``DATE_LINE.search(text, pos, endpos)``, searched only from the line of each date's place.

    A match ends with the date (LINE_DATE_RE, which holds no digit-free stretch where another could
    start), and its place stands right before it, with only whitespace and a comma between, on one line
    with what precedes it in the match: so no match ending at a date starts before the start of the
    line of the last other character before that date."""
    for d in LINE_DATE_RE.finditer(text, pos, endpos):
        j = d.start()
        while j and (text[j - 1].isspace() or text[j - 1] == ","):
            j -= 1
        m = DATE_LINE.search(text, max(pos, text.rfind("\n", 0, j) + 1), d.end())
        if m:
            return m
    return None


def date_of_line(dm: regex.Match | None) -> dt.date | None:
    """The date of a place-date line, None when the day or month is left blank ('ngày … tháng … năm 2025')."""
    if not dm:
        return None
    d, mth, y = dm.group("d"), dm.group("m"), dm.group("y")
    if d and d.isdigit() and mth.isdigit():
        try:
            return dt.date(int(y), int(mth), int(d))
        except ValueError:
            return None
    return None


def find_issuer_lines(text: str, head: Header) -> list[str]:
    """The issuer: the upper-case lines above the motto (or the first upper-case lines)."""
    issuer_lines: list[str] = []
    for s, e, line in _lines(text, 0, head.motto.start() if head.motto else head.end):
        # a line is collapsed only when it is read: for the 'Số' or 'V/v' that ends the block, or as an issuer
        # line (the letters a line has, its capitals, are the same before and after)
        ln = None
        if "Số" in line or "V/" in line or "Về" in line:
            ln = _collapse(line)
            if ln.startswith("Số") or VV.match(ln):
                break
        if _capitals(line) and len(issuer_lines) < 4:
            ln = ln or _collapse(line)
            if not issuer_lines and not ISSUER_LINE.match(ln):
                if head.motto:
                    continue
                break
            issuer_lines.append(ln)
        elif issuer_lines and (ln if ln is not None else _collapse(line)):
            break   # the first line after the block that is not blank
    return issuer_lines


def find_doc_type(head: Header, ref: str | None) -> str | None:
    """The code of the own số hiệu, else the heading in capitals, else V/v → Công văn, else a news item."""
    if ref:
        for seg in REF_PARTS.split(ref)[1:3]:
            t = vocab.type_by_code().get(seg.upper())
            if t:
                return t
    if head.heading:
        return vocab.type_by_word().get(head.heading.group("t").lower(), head.heading.group("t").capitalize())
    if (ref or head.vv) and (head.vv or KINH_GUI.search(head.text[:head.end])):
        return "Công văn"
    if not head.motto and not ref:
        return "Tin bài"  # a news item: no header, no số hiệu, no type heading
    return None


def find_subject(head: Header, doc_type: str | None, spans: dict[str, Span]) -> str | None:
    """V/v …, or the lines under the type heading up to the first sentence, or a news item's first line."""
    text, vv, heading = head.text, head.vv, head.heading
    if vv and (not heading or vv.start() < heading.start()):
        stop = _first_of(text, vv.start(), [KINH_GUI.search, MOTTO.search, date_line_search], head.end)
        spans["subject"] = Span(vv.start(), stop, text[vv.start():stop])
        return _collapse(text[vv.start():stop])
    if heading:
        s = heading.end()
        block = []
        for ls, le, line in _lines(text, s, min(len(text), s + 800)):
            ln = _collapse(line)
            if not ln:
                if block:
                    break
                continue
            if SUBJECT_STOP.match(ln) or MOTTO.search(ln) or ISSUER_LINE.match(ln) and block:
                break
            block.append(ln)
            if ln.endswith((".", ";")) or len(block) >= 6:
                break
        return " ".join(block) or None
    if doc_type == "Tin bài":
        for ls, le, line in _lines(text, 0, min(len(text), 1000)):
            ln = _collapse(line)
            if len(ln) > 20:
                return ln
    return None


def find_document_province(text: str, issuer: str | None, ref: str | None, place: str | None,
                           official: bool) -> tuple[str | None, str | None]:
    """(province, where it was found): issuer header, place-date line, body, e-mail domain; none for national
    bodies (by the issuer block or by the issuer codes of the own số hiệu).  The place-date line and the body
    only for a local official document: the place of a ministry is not its province, a portal article names
    places it is about."""
    if bool(issuer and NATIONAL_ISSUER.match(issuer)) or _national_ref(ref):
        return None, None
    if issuer and (province := find_province(issuer)):
        return province, "header"
    if place and official and (province := find_province(place)):
        return province, "date_line"
    # an official document: its body; another text: only its title (the first lines), never a person's name
    if province := _provinces_in_body(text if official else text[:300], title=not official):
        return province, "body"
    if province := _province_from_email(text, urls=official):
        return province, "email"
    return None, None


def _first_of(text: str, start: int, searches, limit: int) -> int:
    best = min(len(text), start + 400)
    for search in searches:
        m = search(text, start + 3, limit)
        if m and m.start() < best:
            best = m.start()
    nl = text.find("\n\n", start)
    if 0 <= nl < best:
        best = nl
    return best


def _recipients(text: str, head_end: int) -> list[str]:
    out = []
    kg = KINH_GUI.search(text, 0, min(len(text), head_end + 1500))
    if kg:
        rest = text[kg.end():kg.end() + 800]
        items = RECIPIENT_SPLIT.split(rest)
        first = _collapse(items[0])
        if first and not first.startswith("-"):
            out.append(first.rstrip(";.,"))
        for it in items[1:]:
            it = _collapse(it)
            if not it:
                continue
            if RECIPIENTS_END.match(it) or len(it) > 160:
                break
            out.append(it.split("\n")[0].rstrip(";.,"))
            if it.endswith("."):
                break
        out = [o for o in out if o and len(o) < 200]
    return out


# a word every SIGN_TITLE holds ('CHỦ TỊCH', 'GIÁM ĐỐC', 'BỘ TRƯỞNG', 'THỦ TƯỚNG', 'CHÁNH VĂN PHÒNG', 'BÍ THƯ', 'TỔNG …')
TITLE_WORDS = ("CHỦ", "GIÁM", "TRƯỞNG", "THỦ", "CHÁNH", "BÍ", "TỔNG")


def _signature(text: str) -> tuple[str | None, str | None]:
    tail_start = max(0, len(text) - 3000)
    tail = text[max(0, tail_start - 400):]   # where a title can be (it is searched from 400 before 'Nơi nhận')
    if not any(w in tail for w in TITLE_WORDS):
        return None, None
    nn = None
    for nn in NOI_NHAN.finditer(text, tail_start):
        pass
    search_from = nn.start() if nn else tail_start
    title_m = None
    for title_m in SIGN_TITLE.finditer(text, max(0, search_from - 400)):
        pass
    if not title_m:
        return None, None
    title = _collapse(title_m.group())
    signer = None
    for s, e, line in _lines(text, title_m.end(), min(len(text), title_m.end() + 600)):
        ln = _collapse(line)
        if not ln or ln.startswith("-"):
            continue
        pm = PERSON.match(ln)
        if pm:
            signer = pm.group("name")
            break
        # a name can share the line with the title when cells were joined
        pm2 = NAME_AT_END.search(ln)
        if pm2 and not TWO_LOWER_WORDS.search(ln, 0, pm2.start()):
            signer = pm2.group(1)
            break
    if signer is None:
        tail = text[title_m.start():title_m.end() + 80]
        pm3 = GENERAL_NAME.search(tail)
        if pm3:
            signer = pm3.group(1)
    return signer, title or None

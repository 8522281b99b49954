"""Legal citations: references to other documents by số hiệu, and laws cited by name.

``find_citations(text, own_ref=None)`` returns one :class:`Citation` per mention, in reading
order, following ../shared/corpus/README.md:

* a số hiệu with the type word written before it (``Nghị định số 59/2012/NĐ-CP``), in lists
  that share the type word (``các Nghị định số 131/2025/NĐ-CP và 136/2025/NĐ-CP``), or bare
  (``số 4643/UBND-KGVX``);
* the type from the code inside the symbol (NĐ → Nghị định), else from the written word, else
  Công văn; the issuer from the symbol's codes (data/issuers.yaml);
* the date written with that mention only (``ngày 23/7/2012`` after it, or ``Ngày 29/6/2026, …
  ban hành Quyết định số …`` leading its sentence);
* pinpoints written before it (``điểm b khoản 1 Điều 41 và khoản 3 Điều 47 Luật số …``);
* Hiến pháp / Bộ luật / Luật / Pháp lệnh cited by name, with a number if one follows.

The document's own số hiệu, permits and certificates are not citations.
"""
from __future__ import annotations

import regex

from .. import patterns as P
from .. import vocab
from ..dates import from_match
from ..models import Citation, Pinpoint, Span
from ..vocab import WS

NOT_DOCUMENT_CODES = frozenset({"GP", "GCN", "GPXD", "GPMT", "GPKD", "CCHN", "GXN", "GPLX", "CN", "HĐ", "HĐLĐ"})
PARTY_ORGS = frozenset({"TW", "TU", "HU", "ĐU", "ĐUK", "BTGTW", "BTCTW", "UBKTTW", "VPTW", "BCĐ"})


LEADING_ZEROS = regex.compile(r"^0+(?=\d)")
URL_BEFORE = regex.compile(r"(?:https?://|www\.)\S*$")
SENTENCE_BREAK = regex.compile(r"[.;!?]\s|\n\n")
ISSUED_WORD = regex.compile(r"ban\s+hành|ký|phê\s+duyệt", regex.V1 | regex.I)
GAP_SO = regex.compile(r"\s*(?:(?:số|so)\s*:?\s*)?$", regex.V1 | regex.I)
QH_END = regex.compile(r"QH\d*$")


def norm_ref(ref: str) -> str:
    """Comparison key of a số hiệu: no spaces, upper case, Đ unified, no leading zeros."""
    r = WS.sub("", ref).replace("Ð", "Đ").replace("đ", "Đ").upper()
    return LEADING_ZEROS.sub("", r)


def _clean_ref(s: str) -> str:
    return WS.sub("", s)


# codes that name a type only in their slot, before an issuer: '15/CT-TTg', '03/CT-UBND' are Chỉ thị,
# but in '348/CT-CS', '4601/CT-PC' CT is the Cục Thuế (2025) followed by one of its units
SLOT_CODES = frozenset({"CT"})


def _type_from_symbol(segments: list[str]) -> str | None:
    if not segments:
        return None
    code = segments[0].upper()
    if code in SLOT_CODES and not (len(segments) > 1 and vocab.issuer_for_segment(segments[1])):
        return None
    return vocab.type_by_code().get(code)


def _issuer_from_symbol(segments: list[str], skip_first: bool) -> str | None:
    found = []
    for seg in segments[1:] if skip_first else segments:
        iss = vocab.issuer_for_segment(seg)
        if iss and iss not in found:
            found.append(iss)
    return ", ".join(found) or None


def _pinpoints(chain: str) -> tuple[Pinpoint, ...]:
    out: list[Pinpoint] = []
    point = clause = None
    for m in P.PIN_PART.finditer(chain):
        kind, val = m.group("kind").lower(), m.group("val").rstrip(".")
        if kind == "điểm":
            point = point or val
        elif kind == "khoản":
            clause = clause or val
        elif kind == "điều":
            out.append(Pinpoint(article=val, clause=clause, point=point))
            point = clause = None
        else:
            label = val if kind == "mục" else f"{'Phụ lục' if kind.startswith('phụ') else 'Chương'} {val}"
            out.append(Pinpoint(section=label))
    if point or clause:
        out.append(Pinpoint(clause=clause, point=point))
    return tuple(out)


class _NamedLaw:
    __slots__ = ("start", "end", "word", "name", "nested")

    def __init__(self, start, end, word, name, nested=False):
        self.start, self.end, self.word, self.name, self.nested = start, end, word, name, nested


def _law_type(word: str) -> str:
    w = WS.sub(" ", word).lower()
    return {"hiến pháp": "Hiến pháp", "bộ luật": "Bộ luật", "luật": "Luật", "pháp lệnh": "Pháp lệnh"}[w]


def _name_after(text: str, pos: int) -> int:
    """End of a law's name that starts at ``pos`` (just after 'Luật '); ``pos`` if there is none."""
    rest = text[pos:pos + 200]
    low = rest.lower()
    for name in vocab.law_names():
        n = len(name)
        if low[:n] == name.lower() and (n == len(rest) or not rest[n].isalnum()):
            return pos + n
    first = regex.match(r"(?P<w>[\p{L}\d][\p{L}\d\-]*)", rest)
    if not first:
        return pos
    w = first.group("w")
    if not (w[0].isupper() or w.isupper()):
        return pos
    end = pos + first.end()
    words = 1
    while words < 12:
        m = P.NAME_WORD.match(text, end)
        if not m or "\n\n" in m.group():
            break
        wd = m.group("w")
        if wd.lower() in P.NAME_STOP or wd.isdigit() or (w.isupper() and not wd.isupper()):
            break
        end = m.end()
        words += 1
    return end


def _named_laws(text: str) -> list[_NamedLaw]:
    out: list[_NamedLaw] = []
    for m in P.LAW_WORD.finditer(text):
        word = m.group("w")
        caps = word.isupper()
        pos = m.end()
        # in upper-case text, only in an upper-case run (a heading), so 'LUẬT' in running text is skipped
        if caps and not regex.match(r"\s+[\p{Lu}\d]", text[pos:pos + 3]):
            continue
        if _law_type(word) == "Hiến pháp":
            hm = regex.match(r"(?:\s+nước\s+Cộng\s+hòa\s+xã\s+hội\s+chủ\s+nghĩa\s+Việt\s+Nam)?(?:\s+năm\s+\d{4})?", text[pos:], regex.V1 | regex.I)
            end = pos + hm.end()
            out.append(_NamedLaw(m.start(), end, word, "Hiến pháp" + WS.sub(" ", text[pos:end])))
            continue
        am = P.AMENDING.match(text, pos)
        if am:
            inner = P.LAW_WORD.match(text, am.end())
            if inner:
                inner_end = _name_after(text, inner.end() + 1)
                if inner_end > inner.end() + 1:
                    name = WS.sub(" ", text[m.start():inner_end])
                    out.append(_NamedLaw(m.start(), inner_end, word, _sentence_case(name, caps)))
                    out.append(_NamedLaw(inner.start(), inner_end, inner.group("w"),
                                         _sentence_case(WS.sub(" ", text[inner.start():inner_end]), caps), nested=True))
                    continue
        start_name = pos + (len(text[pos:]) - len(text[pos:].lstrip()))
        end = _name_after(text, start_name)
        if end <= start_name:
            continue
        name = WS.sub(" ", text[m.start():end]).rstrip(" ,.;:-")
        out.append(_NamedLaw(m.start(), end, word, _sentence_case(name, caps)))
    # a law named inside another law's name is dropped unless marked nested
    keep: list[_NamedLaw] = []
    for law in out:
        if not law.nested and any(o is not law and not o.nested and o.start < law.start < o.end for o in out):
            continue
        keep.append(law)
    return keep


def _sentence_case(name: str, caps: bool) -> str:
    if not caps:
        return name
    low = name.lower()
    return low[:1].upper() + low[1:]


def find_citations(text: str, own_ref: str | None = None) -> list[Citation]:
    own = norm_ref(own_ref) if own_ref else None
    laws = _named_laws(text)
    law_by_end: dict[int, _NamedLaw] = {}
    for law in laws:
        if not law.nested:
            law_by_end[law.end] = law
    used_laws: set[int] = set()
    found: list[Citation] = []
    prev_end = 0
    prev_written: str | None = None
    for m in P.REF_RE.finditer(text):
        s, e = m.span()
        if _in_url(text, s, e):
            continue
        before = text[max(0, s - 80):s]
        if m.group("std"):
            std = m.group("std")
            ref = _clean_ref(m.group())
            number, year, symbol = m.group("snum"), int(m.group("syear")), m.group("ssym")
            segments = [std] + ([symbol] if symbol else [])
            code_type = vocab.type_by_code().get(std)
            issuer = _issuer_from_symbol(symbol.split("-"), False) if symbol else None
        elif m.group("pnum"):
            number, year = m.group("pnum"), None
            symbol = _clean_ref(f"{m.group('pcode')}/{m.group('porg')}")
            ref = f"{number}-{symbol}"
            segments = [m.group("pcode")] + m.group("porg").split("-")
            code_type = _type_from_symbol(segments)
            issuer = _issuer_from_symbol(m.group("porg").split("-"), False)
        else:
            number = m.group("num")
            year = int(m.group("year")) if m.group("year") else None
            series = P.SERIES_BEFORE.search(text, max(0, s - 5), s) if year and "." not in number else None
            if series and P.TYPE_BEFORE.search(text, max(prev_end, series.start() - 60), series.start()):
                number, s = f"{series.group('series')}.{number}", series.start()   # 'Nghị quyết 66 10/2025/NQ-CP'
                before = text[max(0, s - 80):s]
            symbol = _clean_ref(m.group("sym"))
            ref = f"{number}/{year}/{symbol}" if year else f"{number}/{symbol}"
            segments = symbol.split("-")
            code_type = _type_from_symbol(segments)
            issuer = _issuer_from_symbol(segments, skip_first=code_type is not None)
        if segments and segments[0].upper() in NOT_DOCUMENT_CODES:
            continue
        if not m.group("std") and not m.group("pnum") and "." in number:
            ref = f"{number}/{year}/{symbol}"
        if own and norm_ref(ref) == own:
            continue
        if P.HEADER_SO.search(before) and s < 600 and not P.TYPE_BEFORE.search(before):
            continue  # 'Số: 231/UBND-NC' in the header is the document's own number
        # the type word written before it, or a list sharing the previous type word
        start = s
        written = None
        tw = P.TYPE_BEFORE.search(text, max(prev_end, s - 60), s)
        law = None
        gap_m = GAP_SO.search(text[max(0, s - 12):s])
        law_end = max(0, s - 12) + gap_m.start() if gap_m else s
        if law_end in law_by_end:
            law = law_by_end[law_end]
            used_laws.add(id(law))
            start, written = law.start, _law_type(law.word)
        elif tw:
            start = tw.start()
            written = vocab.type_by_word()[WS.sub(" ", tw.group("tw")).lower()]
        elif found and prev_written and P.LIST_JOIN.search(text[prev_end:s]):
            written = prev_written
        elif P.SO_BEFORE.search(before):
            start = s - len(P.SO_BEFORE.search(before).group())
        # the type: symbol code, else the written word (party documents and laws), else Công văn
        if written in ("Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp") and (year or "QH" in (symbol or "").upper()):
            doc_type = written
        elif code_type and not (m.group("pnum") and written):
            doc_type = code_type
        elif written:
            doc_type = written
        elif symbol and QH_END.search(symbol):
            doc_type = "Luật"
        else:
            doc_type = "Công văn"
        # pinpoints before the mention
        pins: tuple[Pinpoint, ...] = ()
        pc = P.PIN_CHAIN.search(text, max(prev_end, start - 200), start)
        if pc and pc.end() == start:
            pins = _pinpoints(pc.group("chain"))
            start = pc.start()
        end = e
        cited = None
        da = P.DATE_AFTER.match(text, e, min(len(text), e + 80))
        if da:
            dm = from_match(da)
            cited = dm.value
            end = da.end()
        else:
            cited, _ = _date_leading_sentence(text, start, prev_end)
        name = law.name if law else None
        if written == "Quy định" and code_type == "Quyết định" and PARTY_ORGS & {g.upper() for g in segments}:
            code_type, doc_type = None, written   # a party Quy định is numbered QĐ (Quy định số 131/QĐ-TW)
        found.append(Citation(start, end, text[start:end], doc_type, ref=ref, number=number.lstrip("0") or number,
                              year=year, symbol=symbol, issuer=issuer, name=name, cited_date=cited,
                              pinpoints=pins, written_type=written if tw else None,
                              code_type=None if m.group("pnum") else code_type))  # party codes name no state type
        prev_end = end
        prev_written = written or doc_type
    # laws cited by name only
    for law in laws:
        if id(law) in used_laws:
            continue
        if any(c.start <= law.start < c.end for c in found):
            continue
        start, end = law.start, law.end
        pins: tuple[Pinpoint, ...] = ()
        pc = P.PIN_CHAIN.search(text, max(0, start - 200), start)
        if pc and pc.end() == start:
            pins = _pinpoints(pc.group("chain"))
            start = pc.start()
        cited = None
        da = P.DATE_AFTER.match(text, end, min(len(text), end + 80))
        if da:
            cited = from_match(da).value
            end = da.end()
        found.append(Citation(start, end, text[start:end], _law_type(law.word), name=law.name, cited_date=cited,
                              pinpoints=pins, nested=law.nested, issuer="Quốc hội" if _law_type(law.word) != "Pháp lệnh" else "Ủy ban Thường vụ Quốc hội"))
    found.sort(key=lambda c: (c.start, c.end))
    return found


def _in_url(text: str, s: int, e: int) -> bool:
    left = text[max(0, s - 60):s]
    return bool(URL_BEFORE.search(left))


def _date_leading_sentence(text: str, start: int, floor: int):
    """'Ngày 28 tháng 10 năm 2025, Chủ tịch … đã ban hành Công văn số 3280/UBND-VX': the date that
    opens the sentence, when the sentence says the document was issued then."""
    lo = max(floor, start - 300)
    best = None
    for m in P.DATE_LEADS_SENTENCE.finditer(text, lo, start):
        best = m
    if not best:
        return None, None
    between = text[best.end():start]
    if SENTENCE_BREAK.search(between) or not ISSUED_WORD.search(between):
        return None, None
    dm = from_match(best)
    return dm.value, Span(best.start(), best.end(), best.group())

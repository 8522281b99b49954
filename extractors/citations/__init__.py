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

Where things are: one function per form of số hiệu in :mod:`.refs` (standard, party, state),
laws by name in :mod:`.laws`, pinpoints and dates (one step for every form) in :mod:`.context`;
this module decides which matches are citations and what type each names.
"""
from __future__ import annotations

import regex

from .. import patterns as P
from .. import vocab
from ..models import Citation
from ..starts import finditer_at, ref_starts
from ..vocab import WS
from .context import around
from .laws import NamedLaw, law_type, named_laws
from .refs import Numbered, norm_ref, read_numbered, ref_key

__all__ = ["find_citations", "norm_ref", "ref_key"]

NOT_DOCUMENT_CODES = frozenset({"GP", "GCN", "GPXD", "GPMT", "GPKD", "CCHN", "GXN", "GPLX", "CN", "HĐ", "HĐLĐ"})
PARTY_ORGS = frozenset({"TW", "TU", "HU", "ĐU", "ĐUK", "BTGTW", "BTCTW", "UBKTTW", "VPTW", "BCĐ"})
LAW_WORDS = ("Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp")

URL_BEFORE = regex.compile(r"(?:https?://|www\.)\S*$")
GAP_SO = regex.compile(r"\s*(?:(?:số|so)\s*:?\s*)?$", regex.V1 | regex.I)
QH_END = regex.compile(r"QH\d*$")


def find_citations(text: str, own_ref: str | None = None) -> list[Citation]:
    own = norm_ref(own_ref) if own_ref else None
    laws = named_laws(text)
    law_by_end = {law.end: law for law in laws if not law.nested}
    used_laws: set[int] = set()
    found: list[Citation] = []
    prev_end = 0
    prev_written: str | None = None
    for m in finditer_at(P.REF_RE, text, ref_starts(text)):
        if URL_BEFORE.search(text, max(0, m.start() - 60), m.start()):
            continue
        num = read_numbered(m, text, prev_end)
        if not _is_citation(text, num, own):
            continue
        start, written, law, tw = _written_type(text, num.start, prev_end, law_by_end, prev_written if found else None)
        if law:
            used_laws.add(id(law))
        code_type, doc_type = num.code_type, _doc_type(num, written)
        if written == "Quy định" and code_type == "Quyết định" and PARTY_ORGS & {g.upper() for g in num.segments}:
            code_type, doc_type = None, written   # a party Quy định is numbered QĐ (Quy định số 131/QĐ-TW)
        ctx = around(text, start, m.end(), prev_end)
        found.append(Citation(ctx.start, ctx.end, text[ctx.start:ctx.end], doc_type, ref=num.ref,
                              number=num.number.lstrip("0") or num.number, year=num.year, symbol=num.symbol,
                              issuer=num.issuer, name=law.name if law else None, cited_date=ctx.cited_date,
                              pinpoints=ctx.pinpoints, written_type=written if tw else None,
                              code_type=None if num.party else code_type))  # party codes name no state type
        prev_end = ctx.end
        prev_written = written or doc_type
    for law in laws:   # laws cited by name only
        if id(law) in used_laws or any(c.start <= law.start < c.end for c in found):
            continue
        ctx = around(text, law.start, law.end, 0, leading_date=False)
        found.append(Citation(ctx.start, ctx.end, text[ctx.start:ctx.end], law.doc_type, name=law.name,
                              cited_date=ctx.cited_date, pinpoints=ctx.pinpoints, nested=law.nested, issuer=law.issuer))
    found.sort(key=lambda c: (c.start, c.end))
    return found


def _is_citation(text: str, num: Numbered, own: str | None) -> bool:
    """Not a permit or certificate, not the document's own số hiệu (given, or on the header's 'Số:' line)."""
    if num.segments and num.segments[0].upper() in NOT_DOCUMENT_CODES:
        return False
    if own and norm_ref(num.ref) == own:
        return False
    before = text[max(0, num.start - 80):num.start]
    return not (P.HEADER_SO.search(before) and num.start < 600 and not P.TYPE_BEFORE.search(before))


def _written_type(text: str, s: int, floor: int, law_by_end: dict[int, NamedLaw], listed: str | None):
    """(start, written type, law, type-word match) of the mention at ``s``: a law named just before it
    ('Luật Đầu tư số 61/2020/QH14'), the type word before it, or the type of the list it continues."""
    tw = P.TYPE_BEFORE.search(text, max(floor, s - 60), s)
    gap = GAP_SO.search(text[max(0, s - 12):s])
    law = law_by_end.get(max(0, s - 12) + gap.start() if gap else s)
    if law:
        return law.start, law_type(law.word), law, tw
    if tw:
        return tw.start(), vocab.type_by_word()[WS.sub(" ", tw.group("tw")).lower()], None, tw
    if listed and P.LIST_JOIN.search(text[floor:s]):
        return s, listed, None, None
    so = P.SO_BEFORE.search(text[max(0, s - 80):s])
    return (s - len(so.group()) if so else s), None, None, None


def _doc_type(num: Numbered, written: str | None) -> str:
    """The symbol's code, else the written word (party documents and laws), else Công văn."""
    if written in LAW_WORDS and (num.year or "QH" in (num.symbol or "").upper()):
        return written
    if num.code_type and not (num.party and written):
        return num.code_type
    if written:
        return written
    if num.symbol and QH_END.search(num.symbol):
        return "Luật"
    return "Công văn"

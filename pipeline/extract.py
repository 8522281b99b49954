"""Stage 3: run the extractors over a normalized document and shape the rows for the store."""
from __future__ import annotations

from dataclasses import dataclass, field

from extractors.citations import find_citations
from extractors.metadata import extract_metadata
from extractors.models import Citation, DocumentMeta

from .normalize import Normalized


@dataclass
class Extraction:
    meta: DocumentMeta
    citations: list[Citation] = field(default_factory=list)


def extract(norm: Normalized) -> Extraction:
    text = norm.text
    first = extract_metadata(text)
    cites = find_citations(text, own_ref=first.ref)
    meta = extract_metadata(text, cites) if first.issue_date is None else first
    return Extraction(meta, cites)


def citation_rows(doc_id: str, norm: Normalized, cites: list[Citation]) -> list[dict]:
    rows = []
    for seq, c in enumerate(cites):
        raw_start, raw_end = norm.raw_span(c.start, c.end)
        rows.append({
            "doc_id": doc_id, "seq": seq, "doc_type": c.doc_type, "ref": c.ref, "number": c.number, "year": c.year,
            "symbol": c.symbol, "issuer": c.issuer, "name": c.name, "cited_date": c.cited_date,
            "article": c.article, "clause": c.clause, "point": c.point, "section": c.section,
            "pinpoints": [str(p) for p in c.pinpoints], "nested": c.nested,
            "char_start": c.start, "char_end": c.end, "page": norm.page_of(c.start), "surface": c.surface,
            "raw_start": raw_start, "raw_end": raw_end,
        })
    return rows

"""The rows of one document for the store, from what :mod:`extractors.document` found, and the
extraction of one normalized document (ruled PDF tables located in its text)."""
from __future__ import annotations

from typing import Sequence

from extractors.document import Extraction, extract as extract_document
from extractors.grids import Grid, locate_table
from extractors.models import Citation

from ..ingest.read import RawTable
from ..normalize import Normalized


def extract(norm: Normalized, tables: Sequence[RawTable] = ()) -> Extraction:
    """Everything the extractors find in one document; ``tables`` are its ruled PDF tables."""
    return extract_document(norm.text, _pdf_grids(norm, tables))


def _pdf_grids(norm: Normalized, tables: Sequence[RawTable]) -> list[Grid]:
    out = []
    for t in tables:
        if t.page >= len(norm.page_starts):
            continue
        g = locate_table(norm.text, *norm.page_bounds(t.page), t.rows)
        if g is not None:
            out.append(g)
    return out


def _where(norm: Normalized, start: int, end: int, surface: str, ocr_pages: frozenset[int] = frozenset()) -> dict:
    raw_start, raw_end = norm.raw_span(start, end)
    page = norm.page_of(start)
    return {"char_start": start, "char_end": end, "page": page, "surface": surface,
            "raw_start": raw_start, "raw_end": raw_end, "from_ocr": page in ocr_pages}


def citation_rows(doc_id: str, norm: Normalized, cites: list[Citation], ocr_pages: frozenset[int] = frozenset()) -> list[dict]:
    return [{
        "doc_id": doc_id, "seq": seq, "doc_type": c.doc_type, "ref": c.ref, "number": c.number, "year": c.year,
        "symbol": c.symbol, "issuer": c.issuer, "name": c.name, "cited_date": c.cited_date,
        "article": c.article, "clause": c.clause, "point": c.point, "section": c.section,
        "pinpoints": [str(p) for p in c.pinpoints], "nested": c.nested, "written_type": c.written_type,
        "code_type": c.code_type, **_where(norm, c.start, c.end, c.surface, ocr_pages),
    } for seq, c in enumerate(cites)]


def figure_rows(doc_id: str, norm: Normalized, ex: Extraction, ocr_pages: frozenset[int] = frozenset()) -> dict[str, list[dict]]:
    """The rows of the figure tables (and dates, links, list items) for one document; ``ocr_pages``
    (1-based) marks the rows read from OCR'd pages."""
    return {
        "counts": [{"doc_id": doc_id, "seq": i, "value": c.value, "unit": c.unit, "head": c.head, "parent_id": c.parent,
                    **_where(norm, c.start, c.end, c.surface, ocr_pages)} for i, c in enumerate(ex.counts)],
        "dates": [{"doc_id": doc_id, "seq": i, "day": d.day, "month": d.month, "year": d.year, "value": d.value,
                   **_where(norm, d.start, d.end, d.surface, ocr_pages)} for i, d in enumerate(ex.dates)],
        "citation_links": [{"doc_id": doc_id, "seq": i, "relation": k.relation, "from_seq": k.implementer,
                            "to_seq": k.implemented, **_where(norm, k.start, k.end, k.surface, ocr_pages)}
                           for i, k in enumerate(ex.links)],
        "count_items": [{"doc_id": doc_id, "count_seq": a, "citation_seq": b} for a, b in ex.count_items],
        "staffing": [{"doc_id": doc_id, "id": i, "count": s.count, "unit": s.unit, "level": s.level,
                      "category": s.category, "full_time": s.full_time, "part_time": s.part_time,
                      "parent_id": s.parent, **_where(norm, s.start, s.end, s.surface, ocr_pages)}
                     for i, s in enumerate(ex.staffing)],
        "budget": [{"doc_id": doc_id, "seq": i, "amount_min_vnd": b.min_vnd, "amount_max_vnd": b.max_vnd,
                    "per": b.per, "approx": b.approx, "purpose": b.purpose, "unit": b.unit, "level": b.level,
                    "in_table": b.in_table, "table_caption": b.table_caption, "table_row": b.table_row,
                    "table_column": b.table_column, **_where(norm, b.start, b.end, b.surface, ocr_pages)}
                   for i, b in enumerate(ex.budget)],
        "deadlines": [{"doc_id": doc_id, "seq": i, "due_date": d.due_date, "recurring": d.recurring,
                       "precision": d.precision, "what": d.what, "who": d.who,
                       **_where(norm, d.start, d.end, d.surface, ocr_pages)} for i, d in enumerate(ex.deadlines)],
    }

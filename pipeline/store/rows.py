"""The rows of one document for the store, from what :mod:`extractors.document` found, and the
extraction of one normalized document (ruled PDF tables located in its text)."""
from __future__ import annotations

import bisect
from typing import Sequence

from extractors.document import Extraction, extract as extract_document
from extractors.grids import Grid, locate_table
from extractors.models import Citation

from ..ingest.raw import RawTable
from ..normalize import Normalized
from . import tables
from .tables import TableSpec


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


def _spanned(spec: TableSpec, doc_id: str, norm: Normalized, items, ocr_pages: frozenset[int]) -> list[dict]:
    """The rows of ``items``, each with where it was read (tables.WHERE_COLUMNS): the raw span as
    ``Normalized.raw_span`` gives it, the page as ``Normalized.page_of`` (the page of the raw start)."""
    origin = norm.origin
    page_starts = norm.page_starts
    rows = []
    for i, x in enumerate(items):
        s, e = x.start, x.end
        raw_start = int(origin[s])
        raw_end = raw_start if e <= s else int(origin[e - 1]) + 1
        page = bisect.bisect_right(page_starts, raw_start)
        rows.append({**spec.row(doc_id, i, x), "char_start": s, "char_end": e, "page": page, "surface": x.surface,
                     "raw_start": raw_start, "raw_end": raw_end, "from_ocr": page in ocr_pages})
    return rows


def citation_rows(doc_id: str, norm: Normalized, cites: list[Citation], ocr_pages: frozenset[int] = frozenset()) -> list[dict]:
    return _spanned(tables.CITATIONS, doc_id, norm, cites, ocr_pages)


def figure_rows(doc_id: str, norm: Normalized, ex: Extraction, ocr_pages: frozenset[int] = frozenset()) -> dict[str, list[dict]]:
    """The rows of the figure tables (and dates, links, list items) for one document; ``ocr_pages``
    (1-based) marks the rows read from OCR'd pages."""
    found = {**ex.figures, "dates": ex.dates, "citation_links": ex.links}   # each figure kind goes to its table
    out = {name: _spanned(tables.BY_NAME[name], doc_id, norm, items, ocr_pages) for name, items in found.items()}
    out["count_items"] = [tables.COUNT_ITEMS.row(doc_id, a, (a, b)) for a, b in ex.count_items]
    out[tables.STATEMENTS.name] = [tables.STATEMENTS.row(doc_id, i, s) for i, s in enumerate(ex.statements)]
    return out

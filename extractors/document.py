"""Every extractor over one normalized document, each run once: the wiring behind ``pipeline``.

Pure: text in, frozen results out.  ``extra_grids`` are tables the reader located outside the
text (ruled PDF tables, see :func:`extractors.grids.locate_table`).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Sequence

from . import figures
from .citations import find_citations
from .dates import find_dates
from .grids import Grid, find_grids
from .metadata import extract_metadata, latest_cited_date
from .models import Budget, Citation, Count, DateMention, Deadline, DocumentMeta, Staffing
from .relations import Link, Statement, find_relations


@dataclass
class Extraction:
    meta: DocumentMeta
    citations: list[Citation] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    count_items: list[tuple[int, int]] = field(default_factory=list)
    figures: dict[str, list] = field(default_factory=dict)   # kind (= its table) → what it found, see figures.KINDS
    statements: list[Statement] = field(default_factory=list)   # what replaces, repeals or amends what

    @property
    def budget(self) -> list[Budget]:
        return self.figures.get("budget", [])

    @property
    def staffing(self) -> list[Staffing]:
        return self.figures.get("staffing", [])

    @property
    def deadlines(self) -> list[Deadline]:
        return self.figures.get("deadlines", [])

    @property
    def counts(self) -> list[Count]:
        return self.figures.get("counts", [])


def extract(text: str, extra_grids: Sequence[Grid] = ()) -> Extraction:
    """Everything the extractors find in one document."""
    meta = extract_metadata(text)
    cites = find_citations(text, own_ref=meta.ref)
    if meta.issue_date is None:   # an undated document is no older than what it cites
        meta = dataclasses.replace(meta, issue_date_not_before=latest_cited_date(cites))
    rel = find_relations(text, cites)
    cites = [dataclasses.replace(c, role=r.role) for c, r in zip(cites, rel.roles)]
    grids = find_grids(text) + list(extra_grids)
    dates = find_dates(text)
    found = figures.find_figures(text, grids, cites, dates)
    return Extraction(meta, cites, dates, rel.links, found.count_items, found.by_kind, rel.statements)

"""Figures in running text and tables, one module per kind: budget, staffing, deadlines, counts.

Every finder is a pure function over normalized text that returns spans (see ``models.py``);
numbers are read by ``extractors/numbers.py``; vocabulary is in ``extractors/vocab/figures.yaml``.

A kind is registered in :data:`KINDS` with the numbers it *claims*: a number claimed by an
earlier kind (or read as a citation, a date or a table cell) is not read again by a later one, so
``counts``, which takes whatever number is left, comes last.  Adding a kind is one module plus its
vocabulary, one :class:`FigureKind` here and one table spec in ``pipeline/store/tables.py``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

from ..grids import Grid
from ..numbers import find_percents
from .budget import find_budget
from .context import figure_words, level_of, unit_in
from .counts import _tag, count_list_items, find_counts
from .deadlines import find_deadlines
from .staffing import find_staffing, staffing_split_spans

Span = tuple[int, int]


def _own_spans(text: str, found: list) -> list[Span]:
    return [(f.start, f.end) for f in found]


def percent_spans(text: str) -> list[Span]:
    return [(p.start, p.end) for p in find_percents(text)]


@dataclass(frozen=True)
class FigureKind:
    """One kind of figure: ``find(text, grids, taken)`` and the spans it claims in what it found."""

    name: str                                            # the table its rows go to
    find: Callable[[str, Sequence[Grid], list[Span]], list]
    claims: Callable[[str, list], list[Span]] = _own_spans


KINDS: tuple[FigureKind, ...] = (
    # money, and the shares (percentages) written beside it
    FigureKind("budget", lambda text, grids, taken: find_budget(text, list(grids)),
               lambda text, found: _own_spans(text, found) + percent_spans(text)),
    # head counts, and the chuyên trách / kiêm nhiệm numbers of their split
    FigureKind("staffing", lambda text, grids, taken: find_staffing(text),
               lambda text, found: _own_spans(text, found) + staffing_split_spans(text, found)),
    FigureKind("deadlines", lambda text, grids, taken: find_deadlines(text)),
    # any number left over: last, so that it sees every claim before it
    FigureKind("counts", lambda text, grids, taken: find_counts(text, taken)),
)


@dataclass
class Figures:
    by_kind: dict[str, list] = field(default_factory=dict)
    count_items: list[tuple[int, int]] = field(default_factory=list)


def find_figures(text: str, grids: Sequence[Grid], citations: Sequence, dates: Sequence) -> Figures:
    """Every registered kind in order; citations, dates and table cells are claimed before any kind."""
    taken: list[Span] = [(c.start, c.end) for c in citations] + [(d.start, d.end) for d in dates]
    taken += [(g.start, g.end) for g in grids]
    out = Figures()
    for kind in KINDS:
        found = kind.find(text, grids, taken)
        out.by_kind[kind.name] = found
        taken += kind.claims(text, found)
    out.count_items = count_list_items(text, out.by_kind["counts"], list(citations))
    return out


__all__ = ["KINDS", "FigureKind", "Figures", "find_figures", "find_budget", "find_staffing", "find_deadlines",
           "find_counts", "count_list_items", "percent_spans", "staffing_split_spans", "figure_words", "level_of",
           "unit_in", "_tag"]

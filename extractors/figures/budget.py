"""Budget: amounts of money in running text and in table cells, in đồng."""
from __future__ import annotations

import regex
from .. import grids as G
from ..models import Budget
from ..numbers import find_money
from .context import _list_item_lead, _purpose, level_of, sentence_bounds, unit_in


def find_budget(text: str, grids: list[G.Grid] | None = None) -> list[Budget]:
    """Money in running text, then every amount cell of a money table."""
    grids = G.find_grids(text) if grids is None else grids
    spans = [(g.start, g.end, g) for g in grids]
    out = []
    for m in find_money(text):
        grid = next((g for s, e, g in spans if s <= m.start < e), None)
        purpose = _purpose(text, m.start)
        lo, hi = sentence_bounds(text, m.start, m.end)
        after = regex.match(r"\s*[,)]?\s*(?:cho|để)\s+", text[m.end:hi])
        unit = unit_in(purpose or "") or (unit_in(text[m.end + after.end():hi][:80]) if after else None)
        level = level_of(purpose or "", unit) or level_of(_list_item_lead(text, m.start))
        out.append(Budget(m.start, m.end, m.surface, m.min_vnd, m.max_vnd, m.per, m.approx, m.pair, purpose=purpose,
                          unit=unit, level=level, in_table=grid is not None, table_caption=grid.caption if grid else None))
    for g in grids:
        out.extend(_grid_budget(g))
    return sorted(out, key=lambda b: b.start)


def _grid_budget(g: G.Grid) -> list[Budget]:
    ratios = G.ratio_columns(g)
    out = []
    for row in g.rows:
        scale = G.money_scale(row.unit) if row.unit else G.money_scale(g.unit)
        if scale is None or regex.search(r"%|(?<!\p{L})tỷ\s+lệ(?!\p{L})", row.label, regex.V1 | regex.I):
            continue
        for i, cell in enumerate(row.cells):
            v = G.cell_value(cell)
            j = row.column_of(i, len(g.columns))
            if v is None or (j in ratios if j is not None else ("," in cell.surface and 0 < v < 1000)):
                continue
            col = g.columns[j] if j is not None and j < len(g.columns) else None
            purpose = " — ".join(x for x in (g.caption, row.label, col) if x) or None
            amount = int(v * scale)
            unit = unit_in(row.label)
            out.append(Budget(cell.start, cell.end, cell.surface, amount, amount, purpose=purpose, unit=unit,
                              level=level_of(row.label, unit), in_table=True, table_row=row.label or None,
                              table_column=col, table_caption=g.caption))
    return out

"""Ruled tables from the boxes of a page's vector paths, by pdfplumber's rules (``table.py``: edges
snapped and joined within 3 points, intersections, the smallest cell at each, cells that share a
corner in one table), on tuples instead of dicts and without importing pdfplumber (and pdfminer
with it) into every worker.  The arithmetic is pdfplumber's, step by step, so the cells are its
cells to the last bit; ``tests/unit/test_pdf.py`` compares the two.
"""
from __future__ import annotations

import itertools
from operator import itemgetter

SNAP = 3      # pdfplumber.table.DEFAULT_SNAP_TOLERANCE
JOIN = 3      # pdfplumber.table.DEFAULT_JOIN_TOLERANCE
MEET = 3      # the x and y tolerances of pdfplumber.table.edges_to_intersections, as the reader set them

# an edge: [x0, x1, top, bottom, length]; length is pdfplumber's width (horizontal) or height (vertical)
X0, X1, TOP, BOTTOM, LENGTH = range(5)


def ruled_cells(paths: list[tuple[float, float, float, float]], height: float) -> list[list[tuple]]:
    """Tables (lists of cell boxes x0, top, x1, bottom, top-down coordinates) from path bounds
    (left, bottom, right, top, PDF coordinates)."""
    h_edges, v_edges = [], []
    for left, bottom, right, top in paths:   # pdfplumber.utils.rect_to_edges of the path's box
        r_top, r_bottom, r_height, r_width = height - top, height - bottom, top - bottom, right - left
        h_edges.append([left, right, r_top, r_top, r_width])
        h_edges.append([left, right, r_top + r_height, r_bottom, r_width])
        v_edges.append([left, left, r_top, r_bottom, r_height])
        v_edges.append([right, right, r_top, r_bottom, r_height])
    h_edges = _snap([e for e in h_edges if e[LENGTH] >= 1], TOP, (TOP, BOTTOM))
    v_edges = _snap([e for e in v_edges if e[LENGTH] >= 1], X0, (X0, X1))
    h_edges = [e for e in _join(h_edges, TOP, X0, X1) if e[LENGTH] >= 3]
    v_edges = [e for e in _join(v_edges, X0, TOP, BOTTOM) if e[LENGTH] >= 3]
    return _tables(_cells(_intersections(v_edges, h_edges)))


def _snap(edges: list[list], at: int, moved: tuple[int, int]) -> list[list]:
    """pdfplumber.utils.snap_objects: clusters of positions within SNAP of the next, each edge moved
    by (the cluster's mean − its position); clusters in order, edges in their order within one."""
    values = sorted(set(e[at] for e in edges))
    cluster_of, k, last = {}, 0, None
    for x in values:
        if last is not None and not x <= last + SNAP:
            k += 1
        cluster_of[x] = k
        last = x
    ordered = sorted(edges, key=lambda e: cluster_of[e[at]])
    out = []
    for _, group in itertools.groupby(ordered, key=lambda e: cluster_of[e[at]]):
        group = list(group)
        mean = sum(e[at] for e in group) / len(group)
        for e in group:
            shift = mean - e[at]
            e = list(e)
            e[moved[0]] += shift
            e[moved[1]] += shift
            out.append(e)
    return out


def _join(edges: list[list], line: int, lo: int, hi: int) -> list[list]:
    """pdfplumber.table.join_edge_group on each line (edges of one position, in position order):
    an edge starting within JOIN of the last one's end extends it."""
    out = []
    for _, group in itertools.groupby(sorted(edges, key=itemgetter(line)), key=itemgetter(line)):
        group = sorted(group, key=itemgetter(lo))
        joined = [group[0]]
        for e in group[1:]:
            last = joined[-1]
            if e[lo] <= last[hi] + JOIN:
                if e[hi] > last[hi]:
                    assert e[hi] >= last[lo]
                    grown = list(last)
                    grown[hi] = e[hi]
                    # resize_object: a width is recomputed, a height grows by the difference
                    grown[LENGTH] = e[hi] - last[lo] if hi == X1 else last[LENGTH] + (e[hi] - last[hi])
                    joined[-1] = grown
            else:
                joined.append(e)
        out.extend(joined)
    return out


def _intersections(v_edges: list[list], h_edges: list[list]) -> dict[tuple, tuple[set, set]]:
    """pdfplumber.table.edges_to_intersections: each point where a vertical edge meets a horizontal
    one (within MEET), with the boxes of the edges through it."""
    out: dict[tuple, tuple[set, set]] = {}
    hs = sorted(h_edges, key=itemgetter(TOP, X0))
    for v in sorted(v_edges, key=itemgetter(X0, TOP)):
        vx, v_top, v_bottom = v[X0], v[TOP], v[BOTTOM]
        for h in hs:
            if v_top <= h[TOP] + MEET and v_bottom >= h[TOP] - MEET and vx >= h[X0] - MEET and vx <= h[X1] + MEET:
                vs, hs_at = out.setdefault((vx, h[TOP]), (set(), set()))
                vs.add((v[X0], v[TOP], v[X1], v[BOTTOM]))
                hs_at.add((h[X0], h[TOP], h[X1], h[BOTTOM]))
    return out


def _cells(points: dict[tuple, tuple[set, set]]) -> list[tuple]:
    """pdfplumber.table.intersections_to_cells: from each point, the smallest box whose four corners
    are points joined by edges."""
    def joined(p1, p2) -> bool:
        return (p1[0] == p2[0] and not points[p1][0].isdisjoint(points[p2][0])) or \
            (p1[1] == p2[1] and not points[p1][1].isdisjoint(points[p2][1]))

    order = sorted(points)
    cells = []
    for i, pt in enumerate(order[:-1]):
        rest = order[i + 1:]
        below = [x for x in rest if x[0] == pt[0]]
        right = [x for x in rest if x[1] == pt[1]]
        cell = None
        for below_pt in below:
            if not joined(pt, below_pt):
                continue
            for right_pt in right:
                if not joined(pt, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in points and joined(corner, right_pt) and joined(corner, below_pt):
                    cell = (pt[0], pt[1], corner[0], corner[1])
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


def _tables(cells: list[tuple]) -> list[list[tuple]]:
    """pdfplumber.table.cells_to_tables: cells sharing a corner grouped, tables top-down then left to
    right, lone cells dropped."""
    remaining = list(cells)
    corners: set = set()
    current: list = []
    tables = []
    while remaining:
        before = len(current)
        for cell in list(remaining):
            x0, top, x1, bottom = cell
            its = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or any(c in corners for c in its):
                corners.update(its)
                current.append(cell)
                remaining.remove(cell)
        if len(current) == before:
            tables.append(list(current))
            corners.clear()
            current.clear()
    if current:
        tables.append(list(current))
    return [t for t in sorted(tables, key=lambda t: min((c[1], c[0]) for c in t)) if len(t) > 1]

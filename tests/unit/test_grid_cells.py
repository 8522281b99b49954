"""Pipe lines and their cells, found with string methods, are the ones the line pattern and a cell
split by '|' with each cell's outer spaces left out give (issue 17)."""
from hypothesis import example, given, settings, strategies as st

from extractors import grids as G
from extractors.models import Span

_TABLEISH = st.lists(st.sampled_from(list(" \n\t|ab1,.-:") + ["\u00a0", "Đơn vị", "| 1.250 |"]), max_size=80).map("".join)


def _cells_before(text: str, start: int, end: int) -> list[Span]:
    line = text[start:end]
    parts, pos = [], 0
    for i, ch in enumerate(line):
        if ch == "|":
            parts.append((pos, i))
            pos = i + 1
    parts.append((pos, len(line)))
    if line.lstrip().startswith("|"):
        parts = parts[1:]
    if line.rstrip().endswith("|"):
        parts = parts[:-1]
    out = []
    for a, b in parts:
        seg = line[a:b]
        lead = len(seg) - len(seg.lstrip())
        s, e = start + a + lead, start + a + len(seg.rstrip())
        out.append(Span(s, max(s, e), text[s:max(s, e)]))
    return out


@given(_TABLEISH)
@settings(max_examples=400, deadline=None)
@example("| a | 1 |\n|---|---|\n\n  |  b |  |\nx")
def test_pipe_lines_and_cells(text):
    lines = list(G._pipe_lines(text))
    assert lines == [(m.start(), m.end()) for m in G.PIPE_LINE.finditer(text)]
    for a, b in lines:
        assert G._cells(text, a, b) == _cells_before(text, a, b)


def test_cells_keep_blank_cells_at_their_place():
    text = "x\n|  Chỉ tiêu | | 1.250  |\n"
    cells = G._cells(text, 2, len(text) - 1)
    assert [c.surface for c in cells] == ["Chỉ tiêu", "", "1.250"]
    assert text[cells[2].start:cells[2].end] == "1.250" and cells[1].start == cells[1].end == text.index("| |") + 2

"""Tables inside normalized text, as grids of cells that keep their spans.

Two ways a table reaches the text:

* **pipe rows**: one table row per line, cells joined by ``|`` (what the DOCX and HTML readers
  write, and Markdown tables as authored);
* **cell lists**: one cell per paragraph, paragraphs separated by blank lines (what a PDF table
  becomes when an archive saved it as text, e.g. a ``Mẫu biểu`` annex).

A grid knows its caption unit (``Đơn vị: Triệu đồng``), each data row's label and unit (an
``Đơn vị tính`` column), and a header for each numeric column where one can be told.
"""
from __future__ import annotations

import collections
import functools
from typing import Iterator
from dataclasses import dataclass

import regex


from .models import Span
from .numbers import parse_digits
from .vocab import WS

NUM_CELL = regex.compile(r"(?<!\s)\s*+(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?\s*+", regex.V1)
# column-index cells under a header (A, B, (1), 1, I, II …) and row-number cells (STT)
INDEX_CELL = regex.compile(r"\s*(?:\(?[A-Z]\)?|\(\d+\)|[IVXL]+|\d+(?:\.\d+)*\.?|[a-zđ]\)|[-+*•]|STT|TT)\s*", regex.V1)
UNIT_CELL = regex.compile(r"(?<!\s)\s*+(?P<u>(?:nghìn|ngàn|triệu|tỷ|tỉ)?\s*+đồng|%|người|ha|km|tấn|dự\s+án|doanh\s+nghiệp|lượt|hộ)\s*+\.?\s*+",
                          regex.V1 | regex.IGNORECASE)
CAPTION_UNIT = regex.compile(
    r"(?:Đơn\s*vị(?:\s*tính)?|ĐVT)\s*:\s*(?P<u>(?:nghìn|ngàn|triệu|tỷ|tỉ)?\s*(?:đồng|VNĐ)|%|người)",
    regex.V1 | regex.IGNORECASE)
CAPTION = regex.compile(r"^\s*(?:Mẫu\s+biểu|Biểu(?:\s+mẫu)?\s+số|Phụ\s+lục|Bảng|BIỂU|PHỤ\s+LỤC|BẢNG)(?!\p{L})", regex.V1)
MONEY_SCALE = {"đồng": 1, "vnđ": 1, "nghìn đồng": 1000, "ngàn đồng": 1000, "triệu đồng": 10**6,
               "tỷ đồng": 10**9, "tỉ đồng": 10**9}


def money_scale(unit: str | None) -> int | None:
    """đồng per unit for a money unit ('Triệu đồng' → 10⁶); None when the unit is not money."""
    if not unit:
        return None
    return MONEY_SCALE.get(WS.sub(" ", unit.strip().lower()))


@dataclass(frozen=True, slots=True)
class GridRow:
    label: str
    cells: tuple[Span, ...]                 # the numeric cells, left to right
    unit: str | None = None                 # from an 'Đơn vị tính' column
    positions: tuple[int, ...] | None = None  # column of each cell, when the row's layout is known
    n_cells: int | None = None              # how many cells the row has (fewer than the header: merged cells)
    index: str | None = None                # the row's number cell ('I', '1', '1.1', 'a'), when written

    def column_of(self, i: int, width: int) -> int | None:
        if self.positions is not None:
            return self.positions[i]
        return i if len(self.cells) == width else None


@dataclass(frozen=True, slots=True)
class Grid:
    start: int
    end: int
    caption: str | None
    unit: str | None                        # from the caption: 'Triệu đồng'
    columns: tuple[str | None, ...]          # header of each numeric column, where known
    rows: tuple[GridRow, ...]


@dataclass(frozen=True, slots=True)
class Region:
    """A block of pipe rows that is a table whatever its cells hold (prose cells too): money read
    inside it is a table's amount, labelled by its row's first text cell and its column's header."""

    start: int
    end: int
    header: tuple[str, ...]
    rows: tuple[tuple[Span, ...], ...]

    def where(self, pos: int) -> tuple[str | None, str | None] | None:
        """(row label, column header) of the cell holding ``pos``; None when ``pos`` is outside the rows."""
        for cells in self.rows:
            if cells and cells[0].start <= pos <= cells[-1].end:
                label = next((c.surface for c in cells if c.surface.strip() and not INDEX_CELL.fullmatch(c.surface)), None)
                for i, c in enumerate(cells):
                    if c.start <= pos <= c.end:
                        col = self.header[i] if i < len(self.header) and self.header[i].strip() else None
                        return (_clean(label)[:120] if label else None), col
                return (_clean(label)[:120] if label else None), None
        return None


def table_regions(text: str) -> list[Region]:
    """Every pipe block of at least 2 rows × 2 cells, numeric or not (issue 12, A1)."""
    out: list[Region] = []
    for block, rows in _pipe_rows(text):
        rows = [r for r in rows if r]
        if max((len(r) for r in rows), default=0) < 2 or (len(rows) < 2 and not out):
            continue
        if INDEX_CELL.fullmatch(rows[0][0].surface) and rows[0][0].surface.strip() not in ("TT", "STT"):
            # a block that starts with a data row ('1 | CCN …') continues the table above, under its header
            header = out[-1].header if out and len(out[-1].header) == len(rows[0]) else ()
            out.append(Region(block[0][0], block[-1][1], header, tuple(tuple(r) for r in rows)))
        else:
            out.append(Region(block[0][0], block[-1][1], tuple(c.surface for c in rows[0]), tuple(tuple(r) for r in rows[1:])))
    return out


# a header cell that names the money unit of its column: 'TMĐT dự kiến (tỷ đồng)'
HEADER_UNIT = regex.compile(r"\(\s*(?P<u>(?:nghìn|ngàn|triệu|tỷ|tỉ)?\s*(?:đồng|VNĐ))\s*\)", regex.V1 | regex.I)
HEADER_NOT_MONEY = regex.compile(r"\(\s*(?:ha|%|m2|m²|km|người|tấn)\s*\)", regex.V1 | regex.I)


def column_scale(header: str | None) -> int | None:
    m = HEADER_UNIT.search(header or "")
    return money_scale(m["u"]) if m else None


def find_grids(text: str) -> list[Grid]:
    return sorted(_pipe_grids(text) + _cell_list_grids(text), key=lambda g: g.start)


# --- pipe rows ---------------------------------------------------------------------------------

PIPE_LINE = regex.compile(r"^[^\n]*\|[^\n]*$", regex.M)
MD_RULE = regex.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _cells(text: str, start: int, end: int) -> list[Span]:
    """The cells of one pipe line, each without its surrounding spaces (an outer '|' opens or closes no cell)."""
    line = text[start:end]
    pieces = line.split("|")
    first = 1 if line.lstrip().startswith("|") else 0
    last = len(pieces) - 1 if line.rstrip().endswith("|") else len(pieces)
    out = []
    pos = start
    for k, seg in enumerate(pieces):
        if first <= k < last:
            stripped = seg.strip()
            if stripped:
                s = pos + seg.index(stripped[0])
                out.append(Span(s, s + len(stripped), stripped))
            else:
                s = pos + len(seg)
                out.append(Span(s, s, ""))
        pos += len(seg) + 1
    return out


def _pipe_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line holding a '|' (the matches of PIPE_LINE), from the '|'s themselves."""
    pos = text.find("|")
    while pos >= 0:
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        if end < 0:
            end = len(text)
        yield start, end
        pos = text.find("|", end)


def _pipe_blocks(text: str) -> list[list[tuple[int, int]]]:
    """Runs of pipe lines with only blank lines between them: (start, end) of each line."""
    blocks: list[list[tuple[int, int]]] = []
    for line in _pipe_lines(text):
        if blocks and text[blocks[-1][-1][1]:line[0]].strip() == "":
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


@functools.lru_cache(maxsize=1)
def _pipe_rows(text: str) -> tuple[tuple[tuple[tuple[int, int], ...], tuple[tuple[Span, ...], ...]], ...]:
    """Each pipe block and the cells of its rows (Markdown rule lines left out).  The last text's are
    kept: find_grids and table_regions read the same document one after the other."""
    return tuple((tuple(block), tuple(tuple(_cells(text, a, b)) for a, b in block if not MD_RULE.match(text[a:b])))
                 for block in _pipe_blocks(text))


def _pipe_grids(text: str) -> list[Grid]:
    grids = []
    for _, rows in _pipe_rows(text):
        if len(rows) < 2 or max(len(r) for r in rows) < 2:
            continue
        g = grid_from_rows(text, rows)
        if g:
            grids.append(g)
    return grids


def grid_from_rows(text: str, rows: list[list[Span | None]], headers: list[list[str | None]] | None = None) -> Grid | None:
    """A grid from rows of positioned cells (``None`` or empty for a blank cell).

    Rows before the first row holding a number are the header; a numeric cell before the
    row's first text cell is a row number, not a value.
    """
    def is_num(c):
        return c is not None and bool(NUM_CELL.fullmatch(c.surface))

    header: list[list[str | None]] = list(headers or [])
    data: list[GridRow] = []
    width = max(len(r) for r in rows)
    for cells in rows:
        num = [is_num(c) for c in cells]
        texts = [(i, c) for i, c in enumerate(cells) if c is not None and c.surface.strip() and not num[i]]
        first_text = texts[0][0] if texts else width
        nums = [(i, c) for i, c in enumerate(cells) if num[i] and i > first_text]
        if not nums or _is_index_row([c for c in cells if c is not None]):
            if not data:
                header.append([c.surface if c is not None else None for c in cells])
            continue
        is_unit = [bool(UNIT_CELL.fullmatch(c.surface)) for _, c in texts]
        unit = next((c.surface.strip() for (_, c), u in zip(texts, is_unit) if u), None)
        label = " ".join(c.surface for (_, c), u in zip(texts, is_unit) if not u
                         and not INDEX_CELL.fullmatch(c.surface))
        index = next((c.surface.strip() for c in cells[:max(1, first_text)] if c is not None and c.surface.strip()
                      and INDEX_CELL.fullmatch(c.surface)), None)
        data.append(GridRow(_clean(label), tuple(c for _, c in nums), unit, tuple(i for i, _ in nums),
                            sum(1 for c in cells if c is not None), index))
    if not data:
        return None
    start = min(c.start for r in rows for c in r if c is not None and c.start >= 0)
    end = max(c.end for r in rows for c in r if c is not None and c.start >= 0)
    caption, unit = _caption(text, start, [[Span(0, 0, h or "")] for hr in header for h in hr])
    return Grid(start, end, caption, unit, _header_labels(header, width), tuple(data))


def locate_table(text: str, lo: int, hi: int, rows) -> Grid | None:
    """A grid for a table read cell by cell (a ruled PDF table), its cells found in ``text[lo:hi]``.

    Cells are searched in reading order from a moving cursor, spaces and line breaks matching
    any whitespace; a numeric cell that cannot be found is left out (every value must point at
    its characters), a text cell that cannot be found still labels its row.
    """
    cursor = lo
    located: list[list[Span | None]] = []
    for row in rows:
        out_row: list[Span | None] = []
        for cell in row:
            if not cell or not cell.strip():
                out_row.append(None)
                continue
            words = cell.split()
            found = _find_words(text, words, cursor, hi) or _find_words(text, words, lo, hi)
            if found:
                out_row.append(Span(found[0], found[1], text[found[0]:found[1]]))
                cursor = max(cursor, found[1])
            elif NUM_CELL.fullmatch(cell):
                out_row.append(None)
            else:
                out_row.append(Span(-1, -1, _clean(cell)))   # a label not found in the text layer
        located.append(out_row)
    if not any(c is not None and c.start >= 0 for r in located for c in r):
        return None
    return grid_from_rows(text, located)


def _find_words(text: str, words: list[str], lo: int, hi: int) -> tuple[int, int] | None:
    """Where ``words`` stand in ``text[lo:hi]`` one after the other, any whitespace (or none) between
    them, not inside a longer word or number: a plain string search, no pattern to compile per cell."""
    first = words[0]
    pos = text.find(first, lo, hi)
    while pos != -1:
        end = pos + len(first)
        ok = pos == 0 or not (text[pos - 1].isalnum())
        for w in words[1:]:
            if not ok:
                break
            while end < hi and text[end].isspace():
                end += 1
            ok = text.startswith(w, end) and end + len(w) <= hi
            end += len(w)
        if ok and (end >= len(text) or not text[end].isalnum()):
            return pos, end
        pos = text.find(first, pos + 1, hi)
    return None


def _header_labels(header: list[list[str | None]], width: int) -> tuple[str | None, ...]:
    """One label per column: the header rows' texts above it, a blank cell taking the one on its left
    (a merged cell spans to the right): 'Năm 2025 / Dự toán'."""
    out = []
    for j in range(width):
        parts = []
        for row in header:
            k = j
            while k >= 0 and (k >= len(row) or row[k] is None or not row[k].strip()):
                k -= 1
            if k >= 0 and k < len(row) and row[k] is not None and (k == j or len(row) < width or row[j] is None):
                part = _clean(row[k])
                if part and not INDEX_CELL.fullmatch(part) and part not in parts:
                    parts.append(part)
        out.append(" / ".join(parts) or None)
    return tuple(out)


def _is_index_row(cells: list[Span]) -> bool:
    vals = [c.surface.strip() for c in cells if c.surface.strip()]
    nums = [v for v in vals if v.isdigit()]
    return len(nums) >= 3 and [int(v) for v in nums] == list(range(int(nums[0]), int(nums[0]) + len(nums)))


# --- cell lists --------------------------------------------------------------------------------

PARA = regex.compile(r"[^\n]+(?:\n[^\n]+)*")


_SPACE = regex.compile(r"\s")


@functools.cache
def _may_open_caption(c: str) -> bool:
    """Whether CAPTION can match a paragraph starting with ``c``: its words start with M, B or P,
    after spaces."""
    return c in "MBP" or _SPACE.match(c) is not None


def _cell_list_grids(text: str) -> list[Grid]:
    paras = [Span(m.start(), m.end(), m.group()) for m in PARA.finditer(text)]
    grids = []
    region: list[Span] = []

    def flush():
        if region:
            g = _cell_list_grid(text, region)
            if g:
                grids.append(g)
        region.clear()

    for p in paras:
        caption = _may_open_caption(p.surface[0]) and CAPTION.match(p.surface)
        if len(p.surface) > 300 or caption:
            flush()
            if caption:
                region.append(p)
            continue
        region.append(p)
    flush()
    # a table broken by a long cell continues the one before it: same caption, same unit
    for n in range(1, len(grids)):
        g, prev = grids[n], grids[n - 1]
        if g.caption is None and g.unit is None and g.start - prev.end < 400 and len(g.columns) == len(prev.columns):
            grids[n] = Grid(g.start, g.end, prev.caption, prev.unit, prev.columns, g.rows)
    return grids


def ratio_columns(grid: Grid) -> set[int]:
    """Columns that hold ratios (99,9 next to 10.643.129): percentages, never amounts."""
    out = set()
    width = len(grid.columns)
    by_col: dict[int, list[str]] = collections.defaultdict(list)
    for r in grid.rows:
        for i, c in enumerate(r.cells):
            j = r.column_of(i, width)
            if j is not None:
                by_col[j].append(c.surface)
    for j, col in by_col.items():
        others = [parse_digits(v) for i, vs in by_col.items() if i != j for v in vs]
        small = [c for c in col if "," in c and parse_digits(c) is not None and parse_digits(c) < 1000]
        # judged by the values: headers of multi-level tables do not always line up
        if col and len(small) >= 0.8 * len(col):
            big = sorted(v for v in others if v is not None)
            if big and big[len(big) // 2] >= 1000:
                out.add(j)
    return out


def _agreement(runs: list[tuple[int, int]]) -> int:
    widths = collections.Counter(b - a for a, b in runs if b - a >= 2)
    return widths.most_common(1)[0][1] if widths else 0


ROW_NUMBER = regex.compile(r"^\s*\d{1,3}\s*")
HEAD_WORD = regex.compile(r"^\s*(?:Nội\s+dung|Chỉ\s+tiêu|Đơn\s+vị\s+tính|ĐVT)\s*")


def _cell_list_grid(text: str, paras: list[Span]) -> Grid | None:
    is_num = [bool(NUM_CELL.fullmatch(p.surface)) for p in paras]
    runs: list[tuple[int, int]] = []   # [i, j) of numeric paragraphs
    i = 0
    while i < len(paras):
        if is_num[i]:
            j = i
            while j < len(paras) and is_num[j]:
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    if sum(1 for a, b in runs if b - a >= 2) < 2:
        return None   # trimming only shortens runs: fewer than two long runs stay fewer
    # a row number (STT) right after a row's values runs into them ('…, 104,0, 2, Chi ngân sách'):
    # cut it off where that makes the rows agree on their width
    trimmed = [(a, b - 1) if b - a >= 3 and b < len(paras) and ROW_NUMBER.fullmatch(paras[b - 1].surface)
               else (a, b) for a, b in runs]
    runs = max((runs, trimmed), key=_agreement)  # on a tie, keep the runs as written
    long_runs = [(a, b) for a, b in runs if b - a >= 2 and not _is_index_row(paras[a:b])]
    if len(long_runs) < 2:
        return None
    k = collections.Counter(b - a for a, b in long_runs).most_common(1)[0][0]
    data: list[GridRow] = []
    first_data = None
    prev_end = 0
    header_paras: list[Span] = []
    for a, b in runs:
        texts = [paras[x] for x in range(prev_end, a) if not is_num[x]]
        if b - a == 1 or b - a > k or _is_index_row(paras[a:b]):
            prev_end = prev_end if b - a == 1 else b
            continue
        unit = None
        if texts and UNIT_CELL.fullmatch(texts[-1].surface):
            unit, texts = texts[-1].surface.strip().rstrip("."), texts[:-1]
        texts = [t for t in texts if not INDEX_CELL.fullmatch(t.surface)]
        if first_data is None:
            first_data = a
            header_paras, texts = texts[:-1], texts[-1:]
        data.append(GridRow(_clean(" ".join(t.surface for t in texts)), tuple(paras[a:b]), unit))
        prev_end = b
    if len(data) < 2:
        return None
    heads = [p for p in header_paras if not INDEX_CELL.fullmatch(p.surface) and not CAPTION_UNIT.search(p.surface)
             and not HEAD_WORD.fullmatch(p.surface)
             and not CAPTION.match(p.surface) and not p.surface.strip().startswith("(")]
    columns = tuple(_clean(h.surface) for h in heads[-k:]) if len(heads) >= k else tuple(None for _ in range(k))
    start, end = paras[0].start, data[-1].cells[-1].end
    return Grid(start, end, *_caption(text, start, [header_paras]), columns, tuple(data))


# --- captions ----------------------------------------------------------------------------------

def _caption(text: str, start: int, header: list[list[Span]]) -> tuple[str | None, str | None]:
    """The table's title line and its unit, from the text just before it or its header cells."""
    window = text[max(0, start - 600):start] + "\n" + "\n".join(c.surface for row in header for c in row)
    units = list(CAPTION_UNIT.finditer(window))
    unit = _clean(units[-1]["u"]) if units else None
    caps = [ln for ln in window.splitlines() if CAPTION.match(ln)]
    return (_clean(caps[-1]) if caps else None), unit


def _clean(s: str) -> str:
    return WS.sub(" ", s).strip(" :.-")


def cell_value(cell: Span):
    return parse_digits(cell.surface)

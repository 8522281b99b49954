"""The PDF reader: page texts through pdfium (the first page's lines rebuilt from character boxes),
OCR for scanned or garbled pages, flate bombs refused, ruled tables cell by cell."""
from __future__ import annotations

import statistics

import regex

from extractors.vocab import SUPERSCRIPT_DIGITS

from .raw import RawTable, ReadError

OCR_MODES = ("auto", "always", "never")
MIN_PAGE_LETTERS = 20         # a page with fewer letters in its text layer is a scan


def read_pdf(data: bytes, ocr: str = "auto") -> tuple[list[str], list[int]]:
    """Page texts, and the pages read by OCR.

    ``ocr``: ``auto`` reads a page by OCR when it has no text layer or a garbled one (and
    tesseract is installed); ``always`` reads every page by OCR; ``never`` does not.
    """
    import pypdfium2 as pdfium

    from . import ocr as ocr_engine

    problem = pdf_stream_problem(data)
    if problem:
        raise ReadError("refused", f"PDF refused: {problem}")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            raise ReadError("unreadable", "encrypted PDF (password required)")
        raise ReadError("unreadable", f"corrupt PDF ({msg.splitlines()[0][:80]})")
    try:
        try:
            pdf.init_forms()
        except Exception:  # noqa: BLE001 - forms are optional; text still reads without them
            pass
        if len(pdf) == 0:
            raise ReadError("unreadable", "PDF has no pages")
        pages, ocr_pages = [], []
        use_ocr = ocr != "never" and ocr_engine.available()
        for i in range(len(pdf)):
            page = pdf[i]
            flattened = False
            try:
                flattened = page.flatten() == 1  # stamped numbers/dates live in form widgets
            except Exception:  # noqa: BLE001
                pass
            if flattened:
                page.close()
                page = pdf[i]
            tp = page.get_textpage()
            text = layout_text(tp, page.get_width()) if i == 0 else tp.get_text_range()
            tp.close()
            scan = len(regex.findall(r"\p{L}", text[:2000])) < MIN_PAGE_LETTERS
            if use_ocr and (ocr == "always" or scan or garbled_share(text) > GARBLED_SHARE):
                try:
                    text = ocr_engine.ocr_page(page)
                    ocr_pages.append(i)
                except ocr_engine.OcrError:
                    pass   # the page keeps its text layer; the document's status says what it is worth
            pages.append(text)
            page.close()
        return pages, ocr_pages
    finally:
        pdf.close()


MAX_PDF_STREAM_BYTES = 256 * 2**20   # one stream, as it decompresses
MAX_PDF_BYTES = 1024 * 2**20         # every stream of the file
_STREAM = regex.compile(rb"stream\r?\n")


def pdf_stream_problem(data: bytes) -> str | None:
    """A PDF whose Flate streams decompress beyond the limits (a flate bomb), measured on the
    bytes that come out, not the lengths the file declares."""
    import zlib

    total = 0
    for m in _STREAM.finditer(data):
        start = m.end()
        if data[start:start + 1] not in (b"x", b"H", b"h", b"X") and data[start:start + 1] != b"\x78":
            continue   # not a zlib stream
        d = zlib.decompressobj()
        n = 0
        pos = start
        try:
            while pos < len(data) and not d.eof:
                out = d.decompress(data[pos:pos + 65536], 1 << 20)
                pos += 65536
                while True:
                    n += len(out)
                    total += len(out)
                    if n > MAX_PDF_STREAM_BYTES or total > MAX_PDF_BYTES:
                        return f"a stream expands beyond {MAX_PDF_STREAM_BYTES // 2**20} MB (a flate bomb?)"
                    if not d.unconsumed_tail or d.eof or not out:   # done, or no progress
                        break
                    out = d.decompress(d.unconsumed_tail, 1 << 20)
        except zlib.error:
            continue
    return None


MIN_RULE_PATHS = 6            # fewer vector paths than this on a page: no ruled table to look for


def pdf_tables(data: bytes) -> list[RawTable]:
    """Ruled tables holding numbers, cell by cell.

    The geometry is pdfplumber's (edges snapped and joined, intersections, cells, tables), fed
    with the vector paths and cell texts of pypdfium2: pdfplumber's own page parse (pdfminer)
    costs ~40 ms a page, the pdfium objects under 2 ms.  Boxes drawn around prose (one column,
    no numbers) are not tables.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from extractors.grids import NUM_CELL   # the extractors' patterns load with the first PDF, not at start-up

    pdf = pdfium.PdfDocument(data)
    out = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            paths = [o.get_bounds() for o in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2)]
            if len(paths) < MIN_RULE_PATHS:
                continue
            height = page.get_height()
            tp = page.get_textpage()
            try:
                for cells in _ruled_cells(paths, height):
                    rows = _cell_rows(cells, lambda x0, top, x1, bottom: tp.get_text_bounded(
                        left=x0, bottom=height - bottom, right=x1, top=height - top))
                    numeric = sum(1 for row in rows for c in row[1:] if c and NUM_CELL.fullmatch(c))
                    wide = sum(1 for row in rows if sum(1 for c in row if c) >= 2)
                    if len(rows) >= 2 and numeric >= 2 and wide >= 2:
                        out.append(RawTable(i, tuple(rows)))
            finally:
                tp.close()
    finally:
        pdf.close()
    return out


def _ruled_cells(paths: list[tuple[float, float, float, float]], height: float) -> list[list[tuple]]:
    """Tables (lists of cell boxes, top-down coordinates) from path bounding boxes, by pdfplumber's rules."""
    from pdfplumber import table as plumber_table
    from pdfplumber import utils as plumber_utils

    edges = []
    for left, bottom, right, top in paths:
        rect = {"x0": left, "x1": right, "top": height - top, "bottom": height - bottom, "y0": bottom, "y1": top,
                "doctop": height - top, "width": right - left, "height": top - bottom, "object_type": "rect"}
        edges.extend(plumber_utils.obj_to_edges(rect))
    edges = plumber_utils.filter_edges(edges, min_length=1)
    edges = plumber_table.merge_edges(edges, snap_x_tolerance=plumber_table.DEFAULT_SNAP_TOLERANCE, snap_y_tolerance=plumber_table.DEFAULT_SNAP_TOLERANCE,
                          join_x_tolerance=plumber_table.DEFAULT_JOIN_TOLERANCE, join_y_tolerance=plumber_table.DEFAULT_JOIN_TOLERANCE)
    edges = plumber_utils.filter_edges(edges, min_length=3)
    cells = plumber_table.intersections_to_cells(plumber_table.edges_to_intersections(edges, 3, 3))
    return plumber_table.cells_to_tables(cells)


def _cell_rows(cells: list[tuple], text_of) -> list[tuple[str | None, ...]]:
    """Rows of cell texts, left to right; None where a merged cell spans (as pdfplumber's Table.extract)."""
    xs = sorted({round(c[0], 1) for c in cells})
    rows = []
    for top in sorted({round(c[1], 1) for c in cells}):
        by_x = {round(c[0], 1): c for c in cells if round(c[1], 1) == top}
        rows.append(tuple(" ".join(text_of(*by_x[x]).split()) if x in by_x else None for x in xs))
    return rows


def layout_text(tp, page_width: float) -> str:
    """Rebuild the first page's lines from character boxes.

    Stream order is wrong on a first page: the two-column header comes out interleaved, and
    numbers and days stamped into blanks (form widgets, flattened on reading) come last.  Lines
    are rebuilt from the characters' loose boxes (font ascent to descent, advance width); in the
    header, the left column (issuer, số hiệu, trích yếu) is emitted before the right column
    (motto, place and date).  Raised small digits (footnote markers) become superscripts.
    """
    text = tp.get_text_range()
    n = min(tp.count_chars(), len(text))
    glyphs = []  # (char, left, right, bottom, top, tight_bottom, tight_top)
    for i in range(n):
        c = text[i]
        if c in "\r\n":
            continue
        l, b, r, t = tp.get_charbox(i, loose=True)
        if c.isspace():
            glyphs.append((" ", l, l, b, t, b, b))
            continue
        tl, tb, tr, tt = tp.get_charbox(i)
        glyphs.append((c, l, r, b, t, tb, tt))
    ink = [g for g in glyphs if g[0] != " " and g[4] > g[3]]
    if not ink:
        return text
    h_med = statistics.median(g[4] - g[3] for g in ink)
    tight_med = statistics.median(g[6] - g[5] for g in ink if g[6] > g[5]) if any(g[6] > g[5] for g in ink) else h_med
    lines: list[dict] = []
    for g in sorted(glyphs, key=lambda g: (-(g[3] + g[4]) / 2, g[1])):
        c, l, r, b, t, tb, tt = g
        mid = (b + t) / 2
        for ln in lines[-4:]:
            if abs(ln["mid"] - mid) <= 0.35 * h_med:
                ln["g"].append(g)
                break
        else:
            if c == " ":
                continue
            lines.append({"mid": mid, "g": [g]})
    rows = []
    for ln in lines:
        g = sorted(ln["g"], key=lambda x: x[1])
        base = statistics.median(x[5] for x in g if x[0] != " ") if any(x[0] != " " for x in g) else 0
        segs: list[list] = []
        prev_r = None
        for c, l, r, b, t, tb, tt in g:
            if c == " ":
                if segs and segs[-1][2] and segs[-1][2][-1] != " ":
                    segs[-1][2].append(" ")
                continue
            gap = None if prev_r is None else l - prev_r
            if gap is None or gap > 2.0 * h_med:
                segs.append([l, r, []])
            elif gap > 0.15 * h_med and segs[-1][2] and segs[-1][2][-1] != " ":
                segs[-1][2].append(" ")
            sup = c.isdigit() and 0 < (tt - tb) < 0.8 * tight_med and tb > base + 0.25 * tight_med
            segs[-1][2].append(c.translate(SUPERSCRIPT_DIGITS) if sup else c)
            segs[-1][1] = max(segs[-1][1], r)
            prev_r = r if prev_r is None else max(prev_r, r)
        rows.append((ln["mid"], [(s[0], s[1], "".join(s[2]).strip()) for s in segs]))
    rows.sort(key=lambda x: -x[0])
    mid_x = page_width / 2
    left, right, rest = [], [], []
    in_header = True
    for idx, (_, segs) in enumerate(rows):
        if in_header and idx > 0:
            for s_l, s_r, _ in segs:
                centre = (s_l + s_r) / 2
                if (abs(centre - mid_x) < 0.06 * page_width and (s_r - s_l) < 0.5 * page_width) or (s_r - s_l) > 0.6 * page_width:
                    in_header = False
        if idx > 14:
            in_header = False
        if in_header:
            for s_l, s_r, s in segs:
                (left if (s_l + s_r) / 2 < mid_x * 0.95 else right).append(s)
        else:
            rest.append(" ".join(s[2] for s in segs))
    return "\n".join(left + right + rest)




# --- garbled text layers ----------------------------------------------------------------------

# Code points a Vietnamese text layer never holds: Cyrillic, Latin Extended-A/B other than the
# Vietnamese letters, and C0 controls.  Fonts without a usable ToUnicode map emit glyph indexes
# that land there ('6Ӣ CÔNG 7+ѬѪ1*' for 'SỞ CÔNG THƯƠNG').
_IMPOSSIBLE = regex.compile(r"[\p{Cyrillic}\x00-\x08\x0b\x0e-\x1f\u0100-\u024f--[ĂăĐđĨĩŨũƠơƯư]]", regex.V1)
GARBLED_SHARE = 0.05


def garbled_share(text: str) -> float:
    sample = regex.sub(r"\s+", "", text[:50000])
    if not sample:
        return 0.0
    return len(_IMPOSSIBLE.findall(sample)) / len(sample)

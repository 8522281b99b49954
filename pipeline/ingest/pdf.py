"""The PDF reader: page texts through pdfium (the first page's lines rebuilt from character boxes),
OCR for scanned or garbled pages, flate bombs refused, ruled tables cell by cell."""
from __future__ import annotations

import ctypes
import functools
import itertools
import statistics
from operator import itemgetter

import regex

from extractors.vocab import SUPERSCRIPT_DIGITS

from .raw import RawTable, ReadError
from .ruled import ruled_cells

MIN_PAGE_LETTERS = 20         # a page with fewer letters in its text layer is a scan
_LETTER = regex.compile(r"\p{L}")


class PdfTables:
    """The ruled tables of a PDF, read by :func:`read_pdf` while each page is open for its text (the
    pages are not parsed twice); :func:`pdf_tables` hands them on (``rows`` None: not read yet)."""

    def __init__(self) -> None:
        self.rows: list[RawTable] | None = None
        self.error: Exception | None = None


def read_pdf(data: bytes, ocr: str = "auto", tables: PdfTables | None = None) -> tuple[list[str], list[int]]:
    """Page texts, and the pages read by OCR.

    ``ocr``: ``auto`` reads a page by OCR when it has no text layer or a garbled one (and
    tesseract is installed); ``always`` reads every page by OCR; ``never`` does not.
    ``tables``: filled with the document's ruled tables, read from the same open pages.
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
        found: list[RawTable] | None = [] if tables is not None else None
        flattening = bool(pdf.formenv)   # without a form environment no page is flattened

        def read_tables(page, i: int, tp=None) -> None:
            nonlocal found
            try:
                found.extend(_page_tables(page, i, tp))
            except Exception as e:  # noqa: BLE001 - handed on by pdf_tables, as if read apart
                tables.error, found = e, None

        pages, ocr_pages = [], []
        use_ocr = ocr != "never" and ocr_engine.available()
        for i in range(len(pdf)):
            page = pdf[i]
            if found is not None and flattening:
                read_tables(page, i)   # as the file draws the page, before widgets are flattened into it
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
            if found is not None and not flattening:
                read_tables(page, i, tp)
            tp.close()
            # fewer letters than that in its first 2,000 characters (counted up to MIN_PAGE_LETTERS)
            scan = sum(1 for _ in itertools.islice(_LETTER.finditer(text, 0, 2000), MIN_PAGE_LETTERS)) < MIN_PAGE_LETTERS
            if use_ocr and (ocr == "always" or scan or garbled_share(text) > GARBLED_SHARE):
                try:
                    text = ocr_engine.ocr_page(page)
                    ocr_pages.append(i)
                except ocr_engine.OcrError:
                    pass   # the page keeps its text layer; the document's status says what it is worth
            pages.append(text)
            page.close()
        if found is not None:
            tables.rows = found
        return pages, ocr_pages
    finally:
        pdf.close()


MAX_PDF_STREAM_BYTES = 256 * 2**20   # one stream, as it decompresses
MAX_PDF_BYTES = 1024 * 2**20         # every stream of the file
_STREAM = regex.compile(rb"stream\r?\n")


# deflate's ceiling: a length/distance pair of 2 bits writes at most 258 bytes, so no input byte
# inflates to more than 1032 bytes
DEFLATE_MAX_RATIO = 1032


def pdf_stream_problem(data: bytes) -> str | None:
    """A PDF whose Flate streams decompress beyond the limits (a flate bomb), measured on the
    bytes that come out, not the lengths the file declares.  A file too small for any stream to
    reach the limits, even at deflate's ceiling, is not decompressed to find out."""
    import zlib

    starts = [m.end() for m in _STREAM.finditer(data) if data[m.end():m.end() + 1] in (b"x", b"H", b"h", b"X")]
    if DEFLATE_MAX_RATIO * len(data) <= MAX_PDF_STREAM_BYTES and \
            DEFLATE_MAX_RATIO * sum(len(data) - s for s in starts) <= MAX_PDF_BYTES:
        return None
    total = 0
    for start in starts:
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
MAX_RULE_OBJECTS = 5000       # more objects than this on a page: a drawing (a map, a plan), not ruled tables


def pdf_tables(data: bytes, read: PdfTables | None = None) -> list[RawTable]:
    """Ruled tables holding numbers, cell by cell (those :func:`read_pdf` already read, when given).

    The geometry is pdfplumber's (edges snapped and joined, intersections, cells, tables: see
    :mod:`.ruled`), fed with the vector paths and cell texts of pypdfium2: pdfplumber's own page
    parse (pdfminer) costs ~40 ms a page, the pdfium objects under 2 ms.  Boxes drawn around prose (one column,
    no numbers) are not tables.
    """
    if read is not None and read.error is not None:
        raise read.error
    if read is not None and read.rows is not None:
        return read.rows
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    out = []
    try:
        for i in range(len(pdf)):
            out.extend(_page_tables(pdf[i], i))
    finally:
        pdf.close()
    return out


def _page_tables(page, index: int, tp=None) -> list[RawTable]:
    """The ruled tables of one page (``tp``: its text page when one is open)."""
    import pypdfium2.raw as pdfium_c

    from extractors.grids import NUM_CELL   # the extractors' patterns load with the first PDF, not at start-up

    if pdfium_c.FPDFPage_CountObjects(page) > MAX_RULE_OBJECTS:
        return []   # snapping 100,000 strokes into a grid costs seconds and finds no table
    paths = _path_boxes(page)
    if len(paths) < MIN_RULE_PATHS:
        return []
    height = page.get_height()
    own = tp is None
    if own:
        tp = page.get_textpage()
    out = []
    try:
        for cells in ruled_cells(paths, height):
            rows = _cell_rows(cells, lambda x0, top, x1, bottom: tp.get_text_bounded(
                left=x0, bottom=height - bottom, right=x1, top=height - top))
            numeric = sum(1 for row in rows for c in row[1:] if c and NUM_CELL.fullmatch(c))
            wide = sum(1 for row in rows if sum(1 for c in row if c) >= 2)
            if len(rows) >= 2 and numeric >= 2 and wide >= 2:
                out.append(RawTable(index, tuple(rows)))
    finally:
        if own:
            tp.close()
    return out


def _path_boxes(page) -> list[tuple[float, float, float, float]]:
    """Bounds (left, bottom, right, top) of the page's vector paths, and of those one form XObject
    down, in page order: ``page.get_objects(filter=[PATH], max_depth=2)`` without a Python object
    for each of the page's objects."""
    import pypdfium2.raw as pdfium_c

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    out = []

    def walk(parent, count, get) -> None:
        n = count(parent)
        if n < 0:
            raise pdfium_error("Failed to get number of pageobjects.")
        for i in range(n):
            obj = get(parent, i)
            if not obj:
                raise pdfium_error("Failed to get pageobject.")
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                    raise pdfium_error("Failed to locate pageobject.")
                out.append((left.value, bottom.value, right.value, top.value))
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and count is pdfium_c.FPDFPage_CountObjects:
                walk(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject)

    walk(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject)
    return out


def _cell_rows(cells: list[tuple], text_of) -> list[tuple[str | None, ...]]:
    """Rows of cell texts, left to right; None where a merged cell spans (as pdfplumber's Table.extract)."""
    xs = sorted({round(c[0], 1) for c in cells})
    rows = []
    for top in sorted({round(c[1], 1) for c in cells}):
        by_x = {round(c[0], 1): c for c in cells if round(c[1], 1) == top}
        rows.append(tuple(" ".join(text_of(*by_x[x]).split()) if x in by_x else None for x in xs))
    return rows


@functools.cache
def _charbox_functions():
    """pdfium's loose and tight char-box functions, called without ctypes' conversion of each
    argument (:func:`_glyphs` passes the declared types): a page's 2,000 characters cost 2 ms
    instead of 5 through ``PdfTextPage.get_charbox``."""
    import pypdfium2.raw as pdfium_c

    def unchecked(f):
        g = type(f)(ctypes.cast(f, ctypes.c_void_p).value)
        g.restype = f.restype
        return g

    return unchecked(pdfium_c.FPDFText_GetLooseCharBox), unchecked(pdfium_c.FPDFText_GetCharBox)


def _glyphs(tp, text: str) -> list[tuple]:
    """(char, left, right, bottom, top, tight bottom, tight top) of each character but line breaks: the
    loose box (font ascent to descent, advance width), and the ink's box; a space keeps its loose
    left, bottom and top only."""
    get_loose, get_tight = _charbox_functions()
    loose, tight = (ctypes.c_float * 4)(), (ctypes.c_double * 4)()   # FS_RECTF: left, top, right, bottom
    loose_p = ctypes.byref(loose)
    l_p, r_p, b_p, t_p = (ctypes.byref(tight, 8 * k) for k in range(4))   # FPDFText_GetCharBox: l, r, b, t
    raw = tp.raw
    glyphs = []
    for i, c in enumerate(text[:tp.count_chars()]):
        if c == "\r" or c == "\n":
            continue
        if not get_loose(raw, i, loose_p):
            raise pdfium_error("Failed to get charbox.")
        l, t, r, b = loose[:]
        if c.isspace():
            glyphs.append((" ", l, l, b, t, b, b))
            continue
        if not get_tight(raw, i, l_p, r_p, b_p, t_p):
            raise pdfium_error("Failed to get charbox.")
        _, _, tb, tt = tight[:]
        glyphs.append((c, l, r, b, t, tb, tt))
    return glyphs


def pdfium_error(message: str) -> Exception:
    from pypdfium2 import PdfiumError
    return PdfiumError(message)


def layout_text(tp, page_width: float) -> str:
    """Rebuild the first page's lines from character boxes.

    Stream order is wrong on a first page: the two-column header comes out interleaved, and
    numbers and days stamped into blanks (form widgets, flattened on reading) come last.  Lines
    are rebuilt from the characters' loose boxes (font ascent to descent, advance width); in the
    header, the left column (issuer, số hiệu, trích yếu) is emitted before the right column
    (motto, place and date).  Raised small digits (footnote markers) become superscripts.
    """
    text = tp.get_text_range()
    glyphs = _glyphs(tp, text)
    ink = [g for g in glyphs if g[0] != " " and g[4] > g[3]]
    if not ink:
        return text
    h_med = statistics.median([g[4] - g[3] for g in ink])
    tight = [g[6] - g[5] for g in ink if g[6] > g[5]]
    tight_med = statistics.median(tight) if tight else h_med
    # lines: glyphs top-down, each joining the first of the last four lines within 0.35 of a
    # character's height of its middle (glyphs of one middle all join the same line)
    tol = 0.35 * h_med
    lines: list[tuple[float, list]] = []
    last_mid, target = None, None
    for g in sorted(glyphs, key=lambda g: (-(g[3] + g[4]) / 2, g[1])):
        mid = (g[3] + g[4]) / 2
        if mid != last_mid:
            last_mid, target = mid, None
            for ln in lines[-4:]:
                if abs(ln[0] - mid) <= tol:
                    target = ln
                    break
        if target is None:
            if g[0] == " ":
                continue
            target = (mid, [])
            lines.append(target)
        target[1].append(g)
    rows = [(mid, _segments(sorted(g, key=itemgetter(1)), h_med, tight_med)) for mid, g in lines]
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


def _segments(g: list[tuple], h_med: float, tight_med: float) -> list[tuple[float, float, str]]:
    """One line's glyphs (left to right) as segments (left, right, text): a gap over two characters'
    height starts a segment, one over 0.15 of it is a space; small digits raised over the line's
    base are superscripts."""
    inked = [x[5] for x in g if x[0] != " "]
    base = statistics.median(inked) if inked else 0
    wide, narrow = 2.0 * h_med, 0.15 * h_med
    small, raised = 0.8 * tight_med, base + 0.25 * tight_med
    segs: list[tuple[float, float, str]] = []
    chars: list[str] = []
    seg_l = seg_r = prev_r = None
    for c, l, r, b, t, tb, tt in g:
        if c == " ":
            if chars and chars[-1] != " ":
                chars.append(" ")
            continue
        if prev_r is None or l - prev_r > wide:
            if chars:
                segs.append((seg_l, seg_r, "".join(chars).strip()))
            seg_l, seg_r, chars = l, r, []
        elif l - prev_r > narrow and chars[-1] != " ":
            chars.append(" ")
        if c.isdigit() and 0 < (tt - tb) < small and tb > raised:
            c = c.translate(SUPERSCRIPT_DIGITS)
        chars.append(c)
        if r > seg_r:
            seg_r = r
        if prev_r is None or r > prev_r:
            prev_r = r
    if chars:
        segs.append((seg_l, seg_r, "".join(chars).strip()))
    return segs


# --- garbled text layers ----------------------------------------------------------------------

# Code points a Vietnamese text layer never holds: Cyrillic, Latin Extended-A/B other than the
# Vietnamese letters, and C0 controls.  Fonts without a usable ToUnicode map emit glyph indexes
# that land there ('6Ӣ CÔNG 7+ѬѪ1*' for 'SỞ CÔNG THƯƠNG').
_IMPOSSIBLE = regex.compile(r"[\p{Cyrillic}\x00-\x08\x0b\x0e-\x1f\u0100-\u024f--[ĂăĐđĨĩŨũƠơƯư]]", regex.V1)
GARBLED_SHARE = 0.05


_SPACES = regex.compile(r"\s+")


def garbled_share(text: str) -> float:
    if not _IMPOSSIBLE.search(text, 0, 50000):
        return 0.0   # the usual text layer: no impossible code point, none to count
    sample = _SPACES.sub("", text[:50000])
    if not sample:
        return 0.0
    return len(_IMPOSSIBLE.findall(sample)) / len(sample)

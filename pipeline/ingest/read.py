"""Stage 1: read a file into page texts.

The format is decided from the bytes (magic numbers, markup), the extension only breaks ties.
Readers return a :class:`RawDocument`; a file that cannot be read gets a ``status`` and a
one-line ``error`` instead of an exception.
"""
from __future__ import annotations

import codecs
import hashlib
import io
import statistics
import zipfile
from dataclasses import dataclass, field
import re
from pathlib import Path

import regex

from extractors.vocab import SUPERSCRIPT_DIGITS

from .encodings import convert, detect

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


@dataclass(frozen=True)
class RawTable:
    """A ruled table as pdfplumber reads it: rows of cell texts (None where a merged cell spans)."""

    page: int                          # 0-based
    rows: tuple[tuple[str | None, ...], ...]


@dataclass
class RawDocument:
    path: Path
    doc_id: str
    format: str                       # pdf | docx | html | txt | md | unknown
    pages: list[str] = field(default_factory=list)
    status: str = "ok"                # ok | unreadable | empty | no_text_layer | garbled_text_layer | unsupported_format
    error: str | None = None
    tables: list[RawTable] = field(default_factory=list)   # ruled PDF tables, cell by cell
    text_source: str = "text"         # text | ocr | text+ocr | tcvn3 | vni (how the text was obtained)
    ocr_pages: tuple[int, ...] = ()   # 0-based pages read by OCR

    @property
    def raw_text(self) -> str:
        return "\f".join(self.pages)

    @property
    def page_starts(self) -> tuple[int, ...]:
        starts, pos = [], 0
        for p in self.pages:
            starts.append(pos)
            pos += len(p) + 1
        return tuple(starts) or (0,)


class ReadError(Exception):
    """An expected failure to read a file; ``status`` is the short reason stored in documents."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status


def sniff(data: bytes, suffix: str) -> str:
    head = data[:4096]
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return "unknown"
        if "word/document.xml" in names:
            return "docx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc" if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data or suffix == ".doc" else "ole"
    text_head = _decode_head(head).lstrip().lower()
    if text_head.startswith(("<!doctype html", "<html", "<?xml")) or regex.search(r"<(html|body|head)[\s>]", text_head[:2048]):
        return "html"
    if suffix in HTML_SUFFIXES and "<" in text_head:
        return "html"
    return "md" if suffix in (".md", ".markdown") else "txt"


# byte-order marks and the codec each calls for, in the order they are tried
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
        (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"))


def bom_encoding(data: bytes, utf32: bool = True) -> str | None:
    """The codec named by the byte-order mark ``data`` starts with, or None."""
    for bom, enc in BOMS if utf32 else BOMS[:3]:
        if data.startswith(bom):
            return enc
    return None


def _decode_head(head: bytes) -> str:
    enc = bom_encoding(head, utf32=False)
    if enc:
        return head.decode(enc, errors="ignore")
    if head[1::2].count(0) > len(head) // 4:
        return head.decode("utf-16-le", errors="ignore")
    if head[0::2].count(0) > len(head) // 4:
        return head.decode("utf-16-be", errors="ignore")
    return head.decode("utf-8", errors="ignore")


# --- text ------------------------------------------------------------------------------------

# characters that only occur in Vietnamese text decoded from Windows-1258 (combining tone marks)
_CP1258_MARKS = regex.compile(r"[\u0300\u0301\u0303\u0309\u0323]")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern), else Windows-1258."""
    enc = bom_encoding(data)
    if enc:
        return data.decode(enc, errors="replace")
    sample = data[:8192]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
        return data.decode("utf-16-le", errors="replace")
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4:
        return data.decode("utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        # a file cut inside a multi-byte character still reads as UTF-8
        if e.start >= len(data) - 3:
            return data[:e.start].decode("utf-8")
    latin = data.decode("latin-1")
    if detect(latin):   # TCVN3 / VNI: converted by read_document
        return latin
    text = data.decode("cp1258", errors="replace")
    if _CP1258_MARKS.search(text) or not regex.search(r"[\x80-\xff]", data.decode("latin-1")):
        return text
    return data.decode("utf-8", errors="replace")


def read_text(data: bytes) -> list[str]:
    text = decode_text(data)
    if "\x00" in text or _binary_share(text) > 0.1:
        raise ReadError("unreadable", "binary content, not text")
    return [text]


# control characters other than \t \n \f \r, and the replacement character of a failed decode
_BINARY_CHAR = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _binary_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    return len(_BINARY_CHAR.findall(sample)) / len(sample)


# --- html ------------------------------------------------------------------------------------

def read_html(data: bytes) -> list[str]:
    import trafilatura
    from lxml import html as lxml_html
    from .nesting import flatten_deep_nesting

    text = flatten_deep_nesting(decode_text(data))
    body = trafilatura.extract(text, include_tables=True, include_comments=False, favor_recall=True,
                               include_formatting=False, deduplicate=False)
    if not body:
        try:
            tree = lxml_html.fromstring(text)
        except Exception:  # lxml raises several kinds on broken markup
            raise ReadError("unreadable", "HTML could not be parsed")
        for bad in tree.xpath("//head|//script|//style|//nav|//header|//footer"):
            bad.drop_tree()
        body = tree.text_content() if tree is not None else ""
    return [body or ""]


# --- docx ------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes) -> list[str]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_zip(data, "DOCX")
    try:
        d = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile, ValueError) as e:
        raise ReadError("unreadable", f"not a readable DOCX ({type(e).__name__})")
    lines: list[str] = []
    for block in d.element.body.iterchildren():
        if block.tag == _W + "p":
            lines.append(_para_text(block))
        elif block.tag == _W + "tbl":
            for row in block.iter(_W + "tr"):
                cells = [" ".join(_para_text(p) for p in tc.iter(_W + "p")).strip() for tc in row.iter(_W + "tc")]
                lines.append(" | ".join(cells) if any(cells) else "")
    notes = _docx_footnotes(d)
    if notes:
        lines.append("")
        lines.extend(notes)
    return ["\n".join(lines)]


MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_BYTES = 512 * 2**20       # uncompressed, all entries
MAX_ZIP_RATIO = 200               # uncompressed / compressed, any entry
MAX_ZIP_ENTRY_BYTES = 256 * 2**20  # one entry, as it comes out


def check_zip(data: bytes | Path, what: str) -> list[zipfile.ZipInfo]:
    """Refuse a zip that would expand beyond reason (a zip bomb) or name paths outside itself."""
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as z:
            infos = z.infolist()
            problem = zip_problem(infos) or _expanded_problem(z, infos)
    except UnicodeDecodeError:
        raise ReadError("unreadable", f"not a readable {what} (an entry name flagged UTF-8 is not UTF-8)") from None
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError, OSError) as e:
        raise ReadError("unreadable", f"not a readable {what} ({type(e).__name__}: {str(e)[:120]})") from None
    if problem:
        raise ReadError("refused", f"{what} refused: {problem}")
    return infos


def _expanded_problem(z: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> str | None:
    """The limits again, on the bytes each entry really expands to (sizes in the header can be forged)."""
    total = 0
    for i in infos:
        if i.is_dir():
            continue
        n = 0
        with z.open(i) as f:
            while chunk := f.read(1 << 20):
                n += len(chunk)
                total += len(chunk)
                if total > MAX_ZIP_BYTES:
                    return f"expands beyond {MAX_ZIP_BYTES // 2**20} MB"
                if n > MAX_ZIP_ENTRY_BYTES or (n > 1_000_000 and n > MAX_ZIP_RATIO * max(1, i.compress_size)):
                    return f"{i.filename} expands over {MAX_ZIP_RATIO}:1 (a zip bomb?)"
    return None


def zip_problem(infos: list[zipfile.ZipInfo]) -> str | None:
    if len(infos) > MAX_ZIP_ENTRIES:
        return f"{len(infos)} entries (limit {MAX_ZIP_ENTRIES})"
    total = sum(i.file_size for i in infos)
    if total > MAX_ZIP_BYTES:
        return f"{total / 2**20:.0f} MB uncompressed (limit {MAX_ZIP_BYTES // 2**20} MB)"
    for i in infos:
        if i.file_size > 1_000_000 and i.file_size > MAX_ZIP_RATIO * max(1, i.compress_size):
            return f"{i.filename} expands {i.file_size // max(1, i.compress_size)}:1 (a zip bomb?)"
        name = i.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/") or (len(name) > 1 and name[1] == ":"):
            return f"entry {i.filename!r} points outside the archive"
    return None


def _para_text(p) -> str:
    out = []
    for node in p.iter():
        if node.tag == _W + "t" and node.text:
            out.append(node.text)
        elif node.tag in (_W + "tab",):
            out.append("\t")
        elif node.tag in (_W + "br", _W + "cr"):
            out.append("\n")
        elif node.tag == _W + "footnoteReference":
            out.append(str(node.get(_W + "id")).translate(SUPERSCRIPT_DIGITS))
    return "".join(out)


def _docx_footnotes(d) -> list[str]:
    from lxml import etree

    for rel in d.part.rels.values():
        if rel.reltype.endswith("/footnotes"):
            root = etree.fromstring(rel.target_part.blob)
            notes = []
            for fn in root.iter(_W + "footnote"):
                fid = fn.get(_W + "id")
                if fid is None or int(fid) <= 0:
                    continue  # separators
                text = " ".join(_para_text(p) for p in fn.iter(_W + "p")).strip()
                if text:
                    notes.append(f"{fid} {text}")
            return notes
    return []


# --- pdf -------------------------------------------------------------------------------------

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
MAX_RULE_OBJECTS = 5000       # more objects than this on a page: a drawing (a map, a plan), not ruled tables


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
            if pdfium_c.FPDFPage_CountObjects(page) > MAX_RULE_OBJECTS:
                continue   # snapping 100,000 strokes into a grid costs seconds and finds no table
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


# --- legacy .doc ------------------------------------------------------------------------------

DOC_TOOLS = (("antiword", ["antiword", "-w", "0", "-m", "UTF-8.txt"]), ("catdoc", ["catdoc", "-d", "utf-8", "-w"]))


def read_doc(data: bytes) -> list[str]:
    """A Word 97–2003 file through antiword, else catdoc (Debian packages); pages split at form feeds."""
    import shutil
    import subprocess
    import tempfile
    tools = [(name, argv) for name, argv in DOC_TOOLS if shutil.which(name)]
    if not tools:
        raise ReadError("unsupported_format", "a legacy Word file (.doc): install antiword or catdoc to read it")
    with tempfile.NamedTemporaryFile(suffix=".doc") as f:
        f.write(data)
        f.flush()
        problems = []
        for name, argv in tools:
            r = subprocess.run([*argv, f.name], capture_output=True, timeout=120)
            text = r.stdout.decode("utf-8", "replace")
            if r.returncode == 0 and text.strip():
                return [p for p in text.split("\f")] or [text]
            problems.append(f"{name}: {r.stderr.decode('utf-8', 'replace').strip().splitlines()[:1] or ['no text']}")
    raise ReadError("unreadable", f"legacy Word file not readable ({'; '.join(problems)})")


def repair_mojibake(text: str) -> str | None:
    """The text with UTF-8-read-as-Windows-1252 undone by ftfy, or None when it is not mojibake."""
    try:
        import ftfy
        from ftfy.badness import is_bad
    except ImportError:
        return None
    if not is_bad(text):
        return None
    fixed = ftfy.fix_encoding(text)
    return fixed if fixed != text else None


# --- entry point -----------------------------------------------------------------------------

# readers that turn bytes into page texts (PDF, which also reports its OCR'd pages, is read apart)
READERS = {"doc": read_doc, "docx": read_docx, "html": read_html, "txt": read_text, "md": read_text}


def read_document(path: Path, data: bytes | None = None, ocr: str = "auto") -> RawDocument:
    """Read one file; never raises for a bad file (the status and error say what went wrong)."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as e:
            return RawDocument(path, "", "unknown", status="unreadable", error=f"cannot open: {e.strerror or e}")
    doc_id = hashlib.sha256(data).hexdigest()
    if not data:
        return RawDocument(path, doc_id, "unknown", status="empty", error="file is empty (0 bytes)")
    fmt = sniff(data, path.suffix.lower())
    reader = READERS.get(fmt)
    if reader is None and fmt != "pdf":
        what = {"zip": "a zip archive that is not DOCX", "ole": "a legacy Office file (.doc/.xls)"}.get(fmt, "unrecognised content")
        return RawDocument(path, doc_id, fmt, status="unsupported_format", error=f"unsupported format: {what}")
    ocr_pages: list[int] = []
    try:
        if fmt == "pdf":
            pages, ocr_pages = read_pdf(data, ocr)
        else:
            pages = reader(data)
    except ReadError as e:
        return RawDocument(path, doc_id, fmt, status=e.status, error=str(e))
    doc = RawDocument(path, doc_id, fmt, pages, ocr_pages=tuple(ocr_pages))
    if ocr_pages:
        doc.text_source = "ocr" if len(ocr_pages) == len(pages) else "text+ocr"
    if fmt in ("pdf", "txt", "md"):
        legacy = detect(doc.raw_text)
        if legacy:   # TCVN3 / VNI fonts or files: the same text in Unicode
            doc.pages = [convert(p, legacy) for p in doc.pages]
            doc.text_source = legacy
    if fmt in ("txt", "md", "html", "doc") and doc.text_source == "text":
        fixed = [repair_mojibake(p) for p in doc.pages]
        if any(f is not None for f in fixed):   # UTF-8 read as Windows-1252 somewhere on the way
            doc.pages = [f if f is not None else p for f, p in zip(fixed, doc.pages)]
            doc.text_source = "mojibake"
    share = garbled_share(doc.raw_text)
    if fmt == "pdf" and share > GARBLED_SHARE:
        doc.status = "garbled_text_layer"
        doc.error = (f"text layer maps glyphs to wrong characters ({share:.0%} impossible code points; "
                     + ("OCR could not read it)" if ocr_pages else "install tesseract-ocr and tesseract-ocr-vie to OCR it)"))
    elif fmt == "pdf":
        try:
            doc.tables = pdf_tables(data)
        except Exception as e:  # noqa: BLE001 - a table that cannot be read leaves the text readable
            doc.error = f"tables not read: {type(e).__name__}: {str(e).splitlines()[0][:80] if str(e) else ''}"
    if doc.status == "ok" and not regex.search(r"\p{L}", doc.raw_text):
        if fmt == "pdf":
            doc.status, doc.error = "no_text_layer", (f"PDF has no text layer ({len(pages)} pages; "
                                                      + ("OCR found no text)" if ocr_pages else "install tesseract-ocr and tesseract-ocr-vie to OCR it)"))
        else:
            doc.status, doc.error = "empty", "no text found"
    return doc

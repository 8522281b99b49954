"""The PDF reader's shortcuts give what the slow ways give: tables read with the text, char boxes and
path bounds through pdfium's C functions, the flate-bomb check skipped only where deflate cannot reach it."""
import random
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from pipeline.ingest import pdf as P
from pipeline.ingest.ruled import ruled_cells

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "raw" / "hagiang_kh45-2026-theodoi-thpl.pdf"


def _pdfs(corpus) -> list[Path]:
    # the sample has no form widgets; 046 has them (its pages are flattened) and nine ruled tables
    return [SAMPLE, corpus / "raw" / "046_laocai_qd2463-ubnd-chutruong-dautu-kcn-volao.pdf"]


def test_tables_read_with_the_text_are_those_read_apart(corpus):
    for path in _pdfs(corpus):
        data = path.read_bytes()
        read = P.PdfTables()
        P.read_pdf(data, "never", read)
        assert read.rows and read.error is None
        assert P.pdf_tables(data, read) == read.rows == P.pdf_tables(data)


def test_a_table_error_is_handed_on_as_if_read_apart(monkeypatch):
    def broken(*args):
        raise ValueError("no grid")
    monkeypatch.setattr(P, "ruled_cells", broken)
    read = P.PdfTables()
    pages, _ = P.read_pdf(SAMPLE.read_bytes(), "never", read)
    assert pages and read.rows is None
    with pytest.raises(ValueError, match="no grid"):
        P.pdf_tables(SAMPLE.read_bytes(), read)


def test_char_boxes_are_pypdfium2s(corpus):
    for path in _pdfs(corpus):
        pdf = pdfium.PdfDocument(path.read_bytes())
        tp = pdf[0].get_textpage()
        text = tp.get_text_range()
        slow = []
        for i, c in enumerate(text[:tp.count_chars()]):
            if c in "\r\n":
                continue
            l, b, r, t = tp.get_charbox(i, loose=True)
            if c.isspace():
                slow.append((" ", l, l, b, t, b, b))
            else:
                _, tb, _, tt = tp.get_charbox(i)
                slow.append((c, l, r, b, t, tb, tt))
        assert len(slow) > 500 and P._glyphs(tp, text) == slow
        pdf.close()


def test_path_bounds_are_pypdfium2s(corpus):
    for path in _pdfs(corpus):
        pdf = pdfium.PdfDocument(path.read_bytes())
        boxes = []
        for page in pdf:
            slow = [o.get_bounds() for o in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2)]
            assert P._path_boxes(page) == slow
            boxes += slow
        assert len(boxes) >= P.MIN_RULE_PATHS
        pdf.close()


def _plumber_cells(paths, height):
    """The cells as pdfplumber's own functions find them (what the reader called before ruled.py)."""
    from pdfplumber import table as plumber_table
    from pdfplumber import utils as plumber_utils

    edges = []
    for left, bottom, right, top in paths:
        edges += plumber_utils.obj_to_edges({
            "x0": left, "x1": right, "top": height - top, "bottom": height - bottom, "y0": bottom, "y1": top,
            "doctop": height - top, "width": right - left, "height": top - bottom, "object_type": "rect"})
    edges = plumber_utils.filter_edges(edges, min_length=1)
    edges = plumber_table.merge_edges(edges, snap_x_tolerance=3, snap_y_tolerance=3, join_x_tolerance=3, join_y_tolerance=3)
    edges = plumber_utils.filter_edges(edges, min_length=3)
    return plumber_table.cells_to_tables(plumber_table.intersections_to_cells(plumber_table.edges_to_intersections(edges, 3, 3)))


def test_ruled_cells_are_pdfplumbers(corpus):
    pages = []
    for path in _pdfs(corpus):
        pdf = pdfium.PdfDocument(path.read_bytes())
        pages += [(P._path_boxes(page), page.get_height()) for page in pdf]
        pdf.close()
    pages = [(paths, h) for paths, h in pages if len(paths) >= P.MIN_RULE_PATHS][:8]
    rnd = random.Random(17)
    for paths, h in list(pages):   # the boxes nudged across the 3-point tolerances, and shuffled
        for _ in range(2):
            nudged = [tuple(v + rnd.choice([0, 0, 0, 0.4, -1.5, 2.99, 3.0, 3.01, -3.2]) for v in box) for box in paths]
            if rnd.random() < 0.3:
                rnd.shuffle(nudged)
            pages.append((nudged, h))
    found = [_plumber_cells(paths, h) for paths, h in pages]
    assert sum(map(len, found)) >= 10
    assert [ruled_cells(paths, h) for paths, h in pages] == found


def _pdf_with_stream(stream: bytes) -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            + f"4 0 obj << /Length {len(stream)} /Filter /FlateDecode >> stream\n".encode() + stream
            + b"\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF")


def test_deflate_stays_under_the_ceiling_the_bomb_check_trusts():
    zeros = bytes(16 * 2**20)       # what deflate compresses best
    packed = zlib.compress(zeros, 9)
    assert len(zeros) <= P.DEFLATE_MAX_RATIO * len(packed) < 1.01 * len(zeros)


def test_the_smallest_bombs_are_still_decompressed_and_refused(monkeypatch):
    monkeypatch.setattr(P, "MAX_PDF_STREAM_BYTES", 8 * 2**20)   # the limits scaled down, the rule the same
    monkeypatch.setattr(P, "MAX_PDF_BYTES", 32 * 2**20)
    bomb = _pdf_with_stream(zlib.compress(bytes(P.MAX_PDF_STREAM_BYTES + 2**16), 9))
    assert P.DEFLATE_MAX_RATIO * len(bomb) > P.MAX_PDF_STREAM_BYTES   # above the size the check skips
    assert "flate bomb" in P.pdf_stream_problem(bomb)
    assert P.pdf_stream_problem(_pdf_with_stream(zlib.compress(bytes(P.MAX_PDF_STREAM_BYTES), 9))) is None
    many = _pdf_with_stream(zlib.compress(bytes(2**20), 9)) * 40   # each stream small, 40 MB in all
    assert "flate bomb" in P.pdf_stream_problem(many)

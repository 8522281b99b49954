"""Readers on real files and on files made here: format from content, encodings, pages."""
import codecs
import unicodedata
from pathlib import Path

import docx
import pytest

from pipeline.ingest.read import decode_text, read_document, sniff

VI = "Căn cứ Nghị định số 59/2012/NĐ-CP ngày 23 tháng 7 năm 2012 của Chính phủ về theo dõi thi hành pháp luật"


def test_format_from_content_not_extension(tmp_path):
    assert sniff(b"%PDF-1.7\n...", ".txt") == "pdf"
    assert sniff(b"<!DOCTYPE html><html><body>x</body></html>", ".txt") == "html"
    assert sniff(VI.encode(), ".md") == "md"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".doc") == "doc"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"), ".bin") == "doc"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls") == "ole"


TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258_form(text: str) -> str:
    """Windows-1258 spelling: letters with their vowel marks precomposed, tone marks combining."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + tones)
    return "".join(out)


def test_encodings_recognised():
    assert decode_text(codecs.BOM_UTF8 + VI.encode("utf-8")) == VI
    assert decode_text(VI.encode("utf-16")) == VI
    assert decode_text(VI.encode("utf-16-le")) == VI
    legacy = _cp1258_form(VI).encode("cp1258", errors="strict")
    assert unicodedata.normalize("NFC", decode_text(legacy)) == VI


def test_docx_paragraphs_and_tables(tmp_path):
    d = docx.Document()
    d.add_paragraph("ỦY BAN NHÂN DÂN TỈNH LONG AN")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Kế hoạch số 15/KH-UBND", "năm 2024"
    d.add_paragraph("Hết.")
    path = tmp_path / "a.docx"
    d.save(path)
    raw = read_document(path)
    assert raw.format == "docx" and raw.status == "ok"
    assert raw.raw_text.splitlines() == ["ỦY BAN NHÂN DÂN TỈNH LONG AN", "Kế hoạch số 15/KH-UBND | năm 2024", "Hết."]


def test_pdf_pages_and_stamped_header(corpus):
    raw = read_document(corpus / "raw" / "004_quangngai_cv507-ubnd-kgvx-gopy-vtci.pdf")
    assert raw.format == "pdf" and len(raw.pages) == 1
    head = raw.pages[0].splitlines()[:3]
    assert head[:2] == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"] and head[2].replace(" ", "") == "Số:507/UBND-KGVX"


def test_garbled_text_layer_is_marked(corpus):
    raw = read_document(corpus / "raw" / "009_laocai_kh1105-dkt-kiemtra-vlncn-GARBLEDFONT.pdf", ocr="never")
    assert raw.status == "garbled_text_layer" and "tesseract" in raw.error
    ok = read_document(corpus / "raw" / "005_laocai_cv3686-ubnd-xd-kiennghi-pccc.pdf")
    assert ok.status == "ok"


def test_html_body_without_portal_banner(tmp_path):
    page = ("<html><body><nav>Trang chủ | Liên hệ</nav><div>Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân</div>"
            "<article><p>ỦY BAN NHÂN DÂN TỈNH AN GIANG</p><p>" + VI + ". " + VI + ".</p></article></body></html>")
    path = tmp_path / "p.html"
    path.write_text(page, encoding="utf-8")
    raw = read_document(path)
    assert raw.format == "html" and "59/2012/NĐ-CP" in raw.raw_text


def test_pdf_ruled_tables_read_through_pdfplumber():
    sample = Path(__file__).resolve().parents[2] / "data" / "raw" / "hagiang_kh45-2026-theodoi-thpl.pdf"
    raw = read_document(sample)
    assert [(t.page, t.rows[0], t.rows[-1]) for t in raw.tables] == [
        (1, ("Nội dung", "Năm 2025", "Năm 2026"), ("Tổng cộng", "200", "245"))]


def test_pdf_boxes_around_prose_are_not_tables(corpus):
    raw = read_document(corpus / "raw" / "001_quangngai_tb565-ketluan-ctmtqg.pdf")
    assert raw.status == "ok" and raw.tables == []


def test_docx_blank_cells_keep_their_column(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    for r, cells in enumerate([("Cấp", "2024", "2025"), ("Cấp xã", "", "9.500.000")]):
        for c, v in enumerate(cells):
            t.cell(r, c).text = v
    path = tmp_path / "b.docx"
    d.save(path)
    assert read_document(path).raw_text.splitlines() == ["Cấp | 2024 | 2025", "Cấp xã |  | 9.500.000"]


# --- the mojibake test: ftfy's answer, found faster ----------------------------------------------

from ftfy.badness import BADNESS_RE, is_bad as ftfy_is_bad  # noqa: E402
from hypothesis import given, settings, strategies as st  # noqa: E402

from pipeline.ingest import mojibake  # noqa: E402

MOJIBAKE_CASES = [
    VI,
    VI.upper(),
    "Đề nghị các đơn vị báo cáo “kết quả” – trước ngày 15/12/2025…",
    "Nhiệt độ 25°C, diện tích 12 m², tỷ lệ ½ • mục § 3",
    "Báo cáo số 12/BC-UBND — 中国 и Россия, ÀÁÂ àáâ",
    "ĐÀ NẴNG: Ông ĐÁ, bà Âu, chị Â ",          # capitals after small accented letters, 'Â' before a space
    "a Â b. Â ”Â ",
    "Â cuối",
]


@pytest.mark.parametrize("text", MOJIBAKE_CASES + [t.encode("utf-8").decode("cp1252", errors="replace")
                                                   for t in MOJIBAKE_CASES]
                         + [t.encode("utf-8").decode("latin-1") for t in MOJIBAKE_CASES])
def test_mojibake_test_answers_as_ftfy(text):
    assert mojibake.is_bad(text) == ftfy_is_bad(text)


def test_mojibake_test_finds_utf8_read_as_cp1252():
    bad = VI.encode("utf-8").decode("cp1252", errors="replace")
    assert mojibake.is_bad(bad) and not mojibake.is_bad(VI)
    assert mojibake._split(BADNESS_RE) is not None   # the fast form was built from ftfy's pattern, not the fallback


_ALPHABET = st.sampled_from(sorted(mojibake.PLAIN) + list("“”–—…•°²½×€ÃÂÄÅÆÇÐÑÕÖ×ØÙÚÛÜÝÞßãäåæçðñõöøùúûüýþÿ™œžŸ¡¢£¤¥¦§¨©ª«¬®¯±³´µ¶·¸¹º»¼¾¿中и"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet=_ALPHABET, max_size=12), st.sampled_from(["", " ", "\n", VI[:30]])),
                max_size=8))
def test_mojibake_test_answers_as_ftfy_on_any_mix(parts):
    text = "".join(a + b for a, b in parts)
    assert mojibake.is_bad(text) == ftfy_is_bad(text)

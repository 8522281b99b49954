"""Normalization steps, each alone, and the span map they keep."""
import unicodedata

from hypothesis import example, given, settings, strategies as st

from pipeline.normalize import Mapped, normalize, esign_stamps, footnote_markers, split_symbols, web_furniture


def test_nfc_composes_and_keeps_map():
    raw = unicodedata.normalize("NFD", "Nghị định")
    n = normalize(raw, "txt")
    assert n.text == "Nghị định"
    assert n.raw_span(0, len(n.text)) == (0, len(raw))


def test_symbol_split_across_line_is_joined():
    for raw, want in [("Thông tư số 04/2021/TT-\nBTP ngày", "04/2021/TT-BTP"),
                      ("số 6138/UBND-\n\nKGVX ngày", "6138/UBND-KGVX"),
                      ("Nghị định số 59/2012/\nNĐ-CP", "59/2012/NĐ-CP")]:
        assert want in split_symbols(Mapped.identity(raw)).text


def test_footnote_marker_glued_to_number():
    out = footnote_markers(Mapped.identity("Luật số 42/2024/QH151\n và Nghị định số 105/2025/NĐ-CP2, Thông tư 47/2024/TT-BGTVT4 của")).text
    assert "42/2024/QH15¹" in out and "105/2025/NĐ-CP²" in out and "TT-BGTVT⁴" in out


def test_footnote_rule_leaves_real_symbol_digits():
    text = "Nghị quyết số 60/2024/UBTVQH15 và QCVN 01:2019/BCT."
    assert footnote_markers(Mapped.identity(text)).text == text


def test_esign_timestamp_removed_but_not_dates():
    out = esign_stamps(Mapped.identity("Phùng Văn A\n18.11.2024 07:25:14\n+07:00\nngày 15/11/2024")).text
    assert "07:25" not in out and "ngày 15/11/2024" in out


def test_page_number_lines_removed():
    n = normalize("kết quả đạt được\f2\nTiếp tục triển khai", "pdf", (0, 17))
    assert n.text == "kết quả đạt được\nTiếp tục triển khai"
    assert n.page_of(n.text.index("Tiếp")) == 2


def test_web_furniture_trimmed():
    raw = ("Bản quyền THƯ VIỆN PHÁP LUẬT\n**Số hiệu:**\n|\n12/KH-UBND\nĐã biết\n|\nỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\n"
           "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nNội dung văn bản.\n"
           "Kế hoạch 12/KH-UBND năm 2024 về phổ biến\nVăn bản này chưa cập nhật nội dung Tiếng Anh\nNghị định 13/2023/NĐ-CP")
    out = web_furniture(Mapped.identity(raw)).text
    assert out.lstrip("|\n").startswith("ỦY BAN NHÂN DÂN") and out.rstrip().endswith("Nội dung văn bản.")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aăâđêôơưÀẠỦ \n\t\f\r-/0123456789NĐCPQHTBỦ*|.:,") + ["\u0301", "\u0323", "\u00a0"]), max_size=300),
       st.sampled_from(["pdf", "txt", "html", "docx"]))
@example("C*\u0301", "txt")  # a removed mark between a letter and its accent: the text must still come out NFC
def test_span_map_is_total_and_monotone(raw, fmt):
    n = normalize(raw, fmt)
    assert len(n.origin) == len(n.text) + 1
    assert all(0 <= o <= len(raw) for o in n.origin.tolist())
    assert all(a <= b for a, b in zip(n.origin.tolist(), n.origin.tolist()[1:]))
    again = normalize(n.text, fmt)
    # a second pass may still drop what the first one uncovered (a page number left alone on its
    # line, '0\n\n0' → '0'), but only drops: what it keeps is the first pass's text, in order
    rest = iter(n.text)
    assert all(ch in rest for ch in again.text)


# --- the cheap scans give what the plain scans gave (issue 17) ---------------------------------

import regex  # noqa: E402

from pipeline import normalize as N  # noqa: E402

# the alphabet of every step's patterns: line ends, blanks, table and emphasis marks, digits, symbol runs
_EDGY = st.lists(st.sampled_from(list(" \n\f\t-/|*#:.1234567890aAbĐđƯ") + ["Trang", "\u0301", "\u00a0", "\r"]),
                 max_size=120).map("".join)


def _same(a: N.Mapped, b: N.Mapped) -> bool:
    return a.text == b.text and a.origin.tolist() == b.origin.tolist()


def _whitespace_before(m: N.Mapped) -> N.Mapped:
    """whitespace() as it was, with the whole-text patterns."""
    m = N.sub(regex.compile(r"[ ]{2,}"), " ", m)
    m = N.sub(regex.compile(r"(?<! )[ ]++(?=\n)|(?<=\n)[ ]++", regex.V1), "", m)
    return N.sub(regex.compile(r"\n(?:[ \t]*\n)+"), "\n\n", m)


@given(_EDGY)
@settings(max_examples=400, deadline=None)
@example("12/\n\nAB -\n  x|\n |  \n# t\n\n\n- 3 -\n\n")
@example("1050\n /QĐ-SCT thực hi-\nện ** a**\n#\n")
def test_steps_tried_at_candidates_equal_whole_scans(raw):
    m = N.Mapped.identity(raw)
    assert _same(N.markdown_marks(m), N.sub(N._MD_EMPH, "", m))
    assert _same(N.page_numbers(m), N.sub(N._PAGE_NUMBER, "", m))
    assert _same(N.split_symbols(m), N.sub(N._SPLIT_WORD, "", N.sub(N._SPLIT_SYMBOL, "", m)))
    assert _same(N.whitespace(m), _whitespace_before(m))


@given(_EDGY)
@settings(max_examples=300, deadline=None)
@example("a\u00a0b\r\n\f2\nc\u0301")
def test_skipping_rare_steps_changes_nothing(raw):
    for fmt in ("md", "pdf"):
        m = N.Mapped.identity(raw)
        for step in N.steps_for(fmt):   # every step, none skipped
            m = step(m)
        n = normalize(raw, fmt)
        assert n.text == m.text and n.origin.tolist() == m.origin.tolist()

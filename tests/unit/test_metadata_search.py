"""extractors/metadata.py's shortcuts give what the plain forms give: the place-date line searched only
from the line of each date, the capitals test without the string of letters, the whitespace collapse."""
from hypothesis import given, settings, strategies as st

from extractors import metadata as M
from extractors.vocab import WS

# header pieces, and the characters that make the shortcuts fall back: a control character str.split()
# takes for whitespace, small and capital characters that are not letters, a title-case letter, 'İ'
PIECES = ["Hà Nội", "Số", "số:", " ", "  ", "\n", "\t", "|", "*", ",", "ngày", "Ngày", "tháng", "năm", "12", "1",
          "2025", "20251", "..", "…", "Huế", "X", "x", ".", "-", "\x1c", "Ⓐ", "ⓐ", "ǅ", "ª", "Ⅻ", "ⅰ", "ỦY BAN", "Đ", "đ", "İ"]
TEXTS = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join)


@settings(max_examples=600, deadline=None)
@given(TEXTS, st.integers(0, 5), st.integers(0, 5))
def test_date_line_search_is_the_search_of_date_line(text, cut_start, cut_end):
    pos, endpos = min(cut_start, len(text)), max(0, len(text) - cut_end)
    full, fast = M.DATE_LINE.search(text, pos, endpos), M.date_line_search(text, pos, endpos)
    assert (full and full.span()) == (fast and fast.span())


@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_capitals_and_collapse(text):
    letters = M.NON_LETTER.sub("", text)
    assert M._capitals(text) == (bool(letters) and letters.isupper())
    assert M._collapse(text) == WS.sub(" ", text).strip(" |-*")


HEADER_PIECES = ["ỦY BAN NHÂN DÂN", "TỈNH X", "BỘ Y TẾ", "Số: 12/KH-UBND", "V/v góp ý", "Về việc", "Về", "KẾ HOẠCH",
                 "THÔNG TƯ", "THÔNG TƯ LIÊN TỊCH", "BÁO CÁO", "Báo cáo", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Ⓐ", "ⓐ",
                 "text", "|", "-", "*", " ", "\t", "\r", "\n", "\n\n", "\x1c"]
HEADERS = st.lists(st.sampled_from(HEADER_PIECES), min_size=1, max_size=40).map("".join)


def issuer_lines_as_written(text, head):
    """find_issuer_lines as it was before its lines were collapsed only when read (the oracle)."""
    out = []
    for _, _, line in M._lines(text, 0, head.motto.start() if head.motto else head.end):
        ln = M._collapse(line)
        if not ln:
            continue
        if ln.startswith("Số") or M.VV.match(ln):
            break
        if M._capitals(ln) and len(out) < 4:
            if not out and not M.ISSUER_LINE.match(ln):
                if head.motto:
                    continue
                break
            out.append(ln)
        elif out:
            break
    return out


@settings(max_examples=600, deadline=None)
@given(HEADERS, st.integers(0, 8))
def test_heading_and_issuer_lines(text, cut):
    end = max(0, len(text) - cut)
    full, fast = M.TYPE_HEADING.search(text, 0, end), M.heading_search(text, end)
    assert (full and full.span()) == (fast and fast.span())
    head = M.Header.of(text)
    assert M.find_issuer_lines(text, head) == issuer_lines_as_written(text, head)


LIST_PIECES = ["\n", " ", "\t", "\n\n", "-", "–", "•", ";", "x", "UBND", "12.", "IV.", "1", "I", "Căn cứ", "Theo", "\r"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(LIST_PIECES), min_size=1, max_size=40).map("".join))
def test_recipient_patterns_read_as_before(text):
    """The recipients' split and end, made linear for the regex audit, cut and stop as their plain forms."""
    import regex
    assert M.RECIPIENT_SPLIT.split(text) == regex.split(r"\n\s*[-–•]\s*|;\s*\n", text)
    assert bool(M.RECIPIENTS_END.match(text)) == bool(regex.match(r"(?:\d+\.|[IVX]+\.|Căn cứ|Thực hiện|Theo|Để|Ngày)", text))

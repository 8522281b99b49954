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


@settings(max_examples=3000, deadline=None)
@given(TEXTS, st.integers(0, 5), st.integers(0, 5))
def test_date_line_search_is_the_search_of_date_line(text, cut_start, cut_end):
    pos, endpos = min(cut_start, len(text)), max(0, len(text) - cut_end)
    full, fast = M.DATE_LINE.search(text, pos, endpos), M.date_line_search(text, pos, endpos)
    assert (full and full.span()) == (fast and fast.span())


@settings(max_examples=3000, deadline=None)
@given(TEXTS)
def test_capitals_and_collapse(text):
    letters = M.NON_LETTER.sub("", text)
    assert M._capitals(text) == (bool(letters) and letters.isupper())
    assert M._collapse(text) == WS.sub(" ", text).strip(" |-*")

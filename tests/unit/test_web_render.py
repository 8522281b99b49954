"""The web app's pure parts: highlight rendering, Vietnamese numbers, folding (the browser tests are in tests/e2e)."""
import re

import pytest

pytest.importorskip("starlette")
from pipeline.report import fold_chars as fold  # noqa: E402
from pipeline.web import i18n, marks  # noqa: E402

TEXT = "Căn cứ Nghị định số 59/2012/NĐ-CP <b>ngày</b> 23/7/2012 của Chính phủ"


def _strip(html: str) -> str:
    import html as h
    return h.unescape(re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize("spans", [
    [],
    [marks.Span("citation", 7, 57)],
    [marks.Span("citation", 7, 57), marks.Span("flag", 7, 57)],              # same span: nested
    [marks.Span("flag", 0, 20), marks.Span("citation", 7, 57)],              # crossing: the later one is cut
    [marks.Span("citation", 7, 34), marks.Span("deadline", 20, 70), marks.Span("count", 40, 45)],
])
def test_render_keeps_the_text_and_escapes_it(spans):
    html = marks.render(TEXT, spans)
    assert _strip(html) == TEXT
    assert "<b>" not in html and "&lt;b&gt;" in html
    for m in re.finditer(r'<mark data-kind="(\w+)" data-char-start="(\d+)" data-char-end="(\d+)"', html):
        assert int(m.group(2)) < int(m.group(3))


def test_a_citation_stays_whole_when_a_flag_crosses_it_later():
    html = marks.render(TEXT, [marks.Span("citation", 7, 34), marks.Span("flag", 20, 40)])
    assert '<mark data-kind="citation" data-char-start="7" data-char-end="34">' in html


@pytest.mark.parametrize("value, vi, en", [
    (1120, "1.120", "1,120"), (51.4, "51,4", "51.4"), (1234567, "1.234.567", "1,234,567"), (None, "", ""), (7, "7", "7"),
])
def test_numbers(value, vi, en):
    assert i18n.num(value, "vi") == vi and i18n.num(value, "en") == en


def test_percent():
    assert i18n.pct(0.514) == "51,4 %"


@pytest.mark.parametrize("text, folded", [("Thi hành Pháp luật", "thi hanh phap luat"), ("ĐỒNG NAI", "dong nai"),
                                          ("Ưu đãi", "uu dai")])
def test_fold_one_character_for_one(text, folded):
    assert fold(text) == folded and len(fold(text)) == len(text)

"""extractors/starts.py: trying the full patterns only where the literal scans say a match can start
finds exactly what a scan from every character finds (the matches, and so every date and citation)."""
import pytest
from hypothesis import given, settings, strategies as st

from extractors import patterns as P
from extractors.starts import date_starts, finditer_at, law_starts, ref_starts

# the pieces dates, số hiệu and law names are written with, and what breaks them: case, spacing,
# a no-break space, a control character Python calls whitespace, a superscript, a run of digits too long
PIECES = ["ngày", "NGÀY", "Ngày", " ", "  ", "\n", "\t", "\u00a0", "\x1c", "1", "12", "123", "2020", "20201", "/",
          "-", ".", ",", ":", "tháng", "THÁNG", "thÁng", "năm", " / ", "QCVN", "TCVN", "NĐ", "CP", "QĐ", "TTg",
          "NQ", "TW", "a", "x", "Luật", "LUẬT", "Bộ", "BỘ", "luật", "Hiến", "pháp", "Pháp", "lệnh", "PHÁP", "LỆNH",
          "HIẾN", "sắc", "dự án", "²", "Đ", "đ", "\U00010d41", "\ua7cb"]   # a digit and a letter newer than Python's Unicode
FORMS = [(P.ANY_DATE, date_starts), (P.REF_RE, ref_starts), (P.LAW_WORD, law_starts)]


def spans(pattern, starts, text):
    return [m.span() for m in pattern.finditer(text)], [m.span() for m in finditer_at(pattern, text, starts(text))]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join))
def test_same_matches_as_a_scan_from_every_character(text):
    for pattern, starts in FORMS:
        full, at = spans(pattern, starts, text)
        assert full == at


@pytest.mark.parametrize("text, found", [
    ("ban hành ngày 15 / 5 /2026 và ngày 3 tháng 4 năm 2025, 1.2.2020", ["ngày 15 / 5 /2026", "ngày 3 tháng 4 năm 2025", "1.2.2020"]),
    ("Nghị định số 59/2012/NĐ-CP, Nghị quyết số 66.7/2025/NQ-CP, 21-NQ/TW và QCVN 01:2019/BCT",
     ["59/2012/NĐ-CP", "66.7/2025/NQ-CP", "21-NQ/TW", "QCVN 01:2019/BCT"]),
    ("theo Bộ  luật Lao động và LUẬT ĐẤT ĐAI, Hiến pháp năm 2013", ["Bộ  luật", "LUẬT", "Hiến pháp"]),
])
def test_the_forms_are_found(text, found):
    got = [m.group() for pattern, starts in FORMS for m in finditer_at(pattern, text, starts(text))]
    assert got == found


# clause marks, role words in any case, and the whitespace runs a clause start can straddle
ROLE_PIECES = ["Căn cứ", "CĂN CỨ", "căn  cứ", "theo quy định tại", "thay thế", "được thay thế bởi", "hết hiệu lực",
               "Hết Hiệu Lực", "x", "Nghị định", ".", ";", " ", "\n", "\n\n", " \n \n", "\t", "- ", "1. ", "a) ", "Điều 5",
               "İ", "ß", "quyết", "theo", "thựcx"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(ROLE_PIECES), min_size=1, max_size=150).map("".join), st.integers(0, 400), st.integers(0, 30))
def test_role_words_and_clause_starts_are_found_as_by_a_whole_scan(text, back, cut):
    from extractors import citation_roles as R
    from extractors.starts import word_matches
    _, trigger, ceases, _, _, _, trigger_firsts, ceases_firsts = R._patterns()
    pos = max(0, len(text) - cut)
    lo = max(0, pos - back)
    for pattern, firsts in ((trigger, trigger_firsts), (ceases, ceases_firsts)):
        assert [m.span() for m in word_matches(pattern, firsts, text, lo, pos)] == \
            [m.span() for m in pattern.finditer(text, lo, pos)]
    cuts = [m.end() for m in R.CLAUSE_START.finditer(text, max(0, pos - 1500), pos)]
    assert R._clause_start(text, pos) == (cuts[-1] if cuts else max(0, pos - 1500))


@pytest.mark.parametrize("words, text", [
    (["căn cứ", "thực hiện"], "Căn cứ X, thực hiện Y, thựccăn cứ Z"),
    (["v/v x", "v y"], "v/v y"),   # a first word holding a '/': a match may start inside it
])
def test_word_matches(words, text):
    from extractors.starts import first_words, word_matches
    from extractors.vocab import whole_words
    pattern = whole_words(words)
    assert [m.span() for m in word_matches(pattern, first_words(words), text, 0, len(text))] == \
        [m.span() for m in pattern.finditer(text)] != []

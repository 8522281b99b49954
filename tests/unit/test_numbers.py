"""The Vietnamese number parser: every written form, the data file's examples, and round trips."""
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from extractors.numbers import find_money, find_percents, find_quantities, parse_number, words


@pytest.mark.parametrize("written,value", words().examples)
def test_data_file_examples(written, value):
    assert parse_number(written) == Decimal(str(value))


@pytest.mark.parametrize("written,value", [
    ("1.120", 1120), ("328.782,902", Decimal("328782.902")), ("05", 5), ("0", 0),
    ("hai mươi lăm", 25), ("mốt", None), ("tư", None), ("lăm", None), ("năm", None), ("một", None),
    ("hai mươi", 20), ("chín mươi chín", 99), ("một trăm", 100), ("nghìn", None), ("triệu", None),
    ("hai nghìn không trăm hai mươi lăm", None),  # 'không trăm' is not read (rare); refuse rather than guess
    ("1.5", None), ("12.34", None),               # dotted section numbers are not numbers
])
def test_parse_number(written, value):
    assert parse_number(written) == (Decimal(value) if value is not None else None)


def _vn_group(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@given(st.integers(min_value=0, max_value=10**15))
def test_any_integer_written_with_dot_groups_parses_back(n):
    assert parse_number(_vn_group(n)) == n


@given(st.integers(min_value=1, max_value=10**7), st.sampled_from([("triệu", 6), ("tỷ", 9)]), st.integers(0, 3))
def test_scaled_decimals_parse_back(units, scale, decimals):
    word, exp = scale
    n = units * 10 ** (exp - decimals)            # an integer of đồng with at most `decimals` digits after the comma
    whole, frac = divmod(n, 10 ** exp)
    written = _vn_group(whole) + ("," + str(frac).rjust(exp, "0").rstrip("0") if frac else "") + " " + word
    assert parse_number(written) == n, written


def _money(text):
    return [(m.min_vnd, m.max_vnd, m.per, m.approx, m.pair) for m in find_money(text)]


@pytest.mark.parametrize("text,expected", [
    # a single amount, with and without a scale word
    ("bố trí 1.700.000 đồng cho mỗi huyện", [(1700000, 1700000, None, None, False)]),
    ("tổng chi 1,5 tỷ đồng", [(1500000000, 1500000000, None, None, False)]),
    ("nguồn vốn 2 nghìn tỷ đồng", [(2 * 10**12, 2 * 10**12, None, None, False)]),
    ("trích 3.500 ngàn tỷ đồng", [(3500 * 10**12, 3500 * 10**12, None, None, False)]),
    ("hỗ trợ hai mươi lăm triệu đồng", [(25000000, 25000000, None, None, False)]),
    ("lệ phí 50.000đ một bộ hồ sơ", [(50000, 50000, None, None, False)]),
    # ranges: both written in full, or the scale shared
    ("mức chi từ 40.000.000 đồng - 45.000.000 đồng mỗi năm", [(40000000, 45000000, None, None, False)]),
    ("mỗi xã từ 10 - 15 triệu đồng", [(10000000, 15000000, None, None, False)]),
    ("từ 2 đến 3 tỷ đồng", [(2000000000, 3000000000, None, None, False)]),
    # rates
    ("cấp 1.200.000 đồng/năm cho mỗi xã", [(1200000, 1200000, "năm", None, False)]),
    ("thu nhập 75 triệu đồng/người/năm", [(75000000, 75000000, "người/năm", None, False)]),
    # approximations
    ("ước khoảng 400 tỷ đồng", [(400 * 10**9, 400 * 10**9, None, "about", False)]),
    ("trên 5 tỷ đồng", [(5 * 10**9, 5 * 10**9, None, "over", False)]),
    ("gần 90 triệu đồng", [(90000000, 90000000, None, "under", False)]),
    ("hơn 12 triệu đồng", [(12000000, 12000000, None, "over", False)]),
    # pairs: two amounts (done / planned)
    ("đạt 4.100,5 tỷ đồng/4.300 tỷ đồng kế hoạch",
     [(4100500000000, 4100500000000, None, None, True), (4300000000000, 4300000000000, None, None, True)]),
    ("vận động 812,4/700 triệu đồng",
     [(812400000, 812400000, None, None, True), (700000000, 700000000, None, None, True)]),
    # not money
    ("tương đương 3,2 tỷ USD", []),
    ("tăng 12,5% so với cùng kỳ", []),
    ("ngày 15/12/2024 đồng chí Phó Chủ tịch", []),
    ("thực hiện đồng bộ 3 nội dung", []),
])
def test_money_forms(text, expected):
    assert _money(text) == expected


def test_money_spans_are_the_written_amount():
    text = "Kinh phí khoảng từ 60.000.000 đồng -\n70.000.000 đồng; còn lại 9,5 tỷ\nđồng/năm."
    got = find_money(text)
    assert [text[m.start:m.end] for m in got] == [m.surface for m in got]
    assert [m.surface for m in got] == ["từ 60.000.000 đồng -\n70.000.000 đồng", "9,5 tỷ\nđồng/năm"]


def test_percentages_are_their_own_kind():
    text = "đạt 98,5% kế hoạch, giảm 1%-1,5% mỗi năm, chi 300 triệu đồng"
    assert [p.value for p in find_percents(text)] == [Decimal("98.5"), 1, Decimal("1.5")]
    assert [m.min_vnd for m in find_money(text)] == [300000000]


def test_dates_and_refs_are_not_quantities():
    text = "Nghị định số 59/2012/NĐ-CP ngày 23/7/2012 và mục 1.5; tổ chức 05 đợt"
    values = [q.value for q in find_quantities(text)]
    assert 2012 not in values and 23 not in values and 7 not in values
    assert 5 in values


# find_quantities reads digits and number words by its own scans (QTY_RE only where a letter or a scale word
# follows the digits, number words only where a number can begin): the numbers are those QTY_RE reads
@pytest.mark.parametrize("text, surfaces, values", [
    ("tổ chức 05 đợt, giá 50.000đ một suất", ["05", "50.000"], [5, 50000]),
    ("1,5 tỷ đồng và 5 triệu, 3\u00a0nghìn", ["1,5 tỷ", "5 triệu", "3\u00a0nghìn"], [1500000000, 5000000, 3000]),
    ("5\nnghìn tỷ; 2 Tháng", ["5\nnghìn tỷ", "2"], [5 * 10**12, 2]),
    ("năm mươi lăm người, năm 2020 có hai đoàn", ["năm mươi lăm", "2020", "hai"], [55, 2020, 2]),
    ("không trăm, tư pháp, mười lăm, Một trăm linh năm", ["mười lăm", "Một trăm linh năm"], [15, 105]),
    ("BA NGHÌN người và bẩy mươi hộ", ["BA NGHÌN", "bẩy mươi"], [3000, 70]),
])
def test_quantities_as_written(text, surfaces, values):
    got = find_quantities(text)
    assert [q.surface for q in got] == surfaces
    assert [q.value for q in got] == values
    assert [text[q.start:q.end] for q in got] == surfaces


@pytest.mark.parametrize("text, surfaces", [
    ("tăng 5 % và (hai mươi %), 1,5%-2% mỗi năm; 100 % ; %", ["5 %", "hai mươi %", "1,5%", "2%", "100 %"]),
    ("đạt 98,5%\n%", ["98,5%"]),
    ("không có số nào: %, % %", []),
])
def test_percentages_as_written(text, surfaces):
    assert [p.surface for p in find_percents(text)] == surfaces

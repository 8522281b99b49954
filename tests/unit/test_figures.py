"""Figure extractors on sentences written for the tests: staffing, budget, deadlines, counts, tables."""
import datetime as dt

import pytest

from extractors import figures as F
from extractors.grids import find_grids

WORDS = F.figure_words()


def spans_ok(text, found):
    return all(text[x.start:x.end] == x.surface for x in found)


# --- data-file examples ------------------------------------------------------------------------

@pytest.mark.parametrize("text,count", WORDS["staffing"]["examples"])
def test_staffing_examples(text, count):
    assert [s.count for s in F.find_staffing(text)] == [count]


@pytest.mark.parametrize("text,level", WORDS["levels"]["examples"])
def test_level_examples(text, level):
    assert F.level_of(text, F.unit_in(text)) == level


@pytest.mark.parametrize("text,value,head", WORDS["counts"]["examples"])
def test_count_examples(text, value, head):
    got = F.find_counts(text)
    assert [(c.value, c.head) for c in got] == [(value, head)]


@pytest.mark.parametrize("text,due", WORDS["deadlines"]["examples"])
def test_deadline_examples(text, due):
    got = F.find_deadlines(text)
    assert len(got) == 1
    assert (str(got[0].due_date) if got[0].due_date else got[0].recurring) == due


# --- staffing ----------------------------------------------------------------------------------

STAFF_TEXT = (
    "Toàn tỉnh hiện có 96 người làm công tác theo dõi thi hành pháp luật (chủ yếu kiêm nhiệm), cụ thể:\n"
    "- Cấp tỉnh: Sở Tư pháp 03 người; công chức pháp chế các sở, ngành là 25 người (chuyên trách: 5, kiêm nhiệm: 20).\n"
    "- Cấp huyện: 18 người là công chức Phòng Tư pháp.\n"
    "- Cấp xã: 50 người là công chức tư pháp - hộ tịch.\n"
    "Năm 2025, Sở tổ chức tập huấn cho 1.200 người và tuyên truyền cho 30.000 lượt người dân.\n"
)


def test_staffing_total_parts_levels_and_split():
    got = F.find_staffing(STAFF_TEXT)
    assert spans_ok(STAFF_TEXT, got)
    assert [s.count for s in got] == [96, 3, 25, 18, 50]
    total = got[0]
    assert total.parent is None and [s.parent for s in got[1:]] == [0, 0, 0, 0]
    assert sum(s.count for s in got[1:]) == total.count
    assert [s.level for s in got[1:]] == ["tỉnh", "tỉnh", "huyện", "xã"]
    assert (got[2].full_time, got[2].part_time) == (5, 20)
    assert got[1].unit == "Sở Tư pháp"


def test_staffing_categories_and_words():
    text = "Phòng Tư pháp có hai công chức chuyên trách và 01 hợp đồng lao động; Sở có 4 biên chế."
    got = F.find_staffing(text)
    assert [(s.count, s.category) for s in got] == [(2, "chuyên trách"), (4, "biên chế")]


def test_people_who_are_not_staff():
    text = "Giải quyết việc làm cho 5.000 người; dân số trung bình 1.200.000 người."
    assert F.find_staffing(text) == []


# --- budget ------------------------------------------------------------------------------------

def test_budget_purpose_unit_and_level():
    text = ("Hằng năm, kinh phí cấp cho Sở Tư pháp thực hiện công tác theo dõi thi hành pháp luật khoảng "
            "40.000.000 đồng - 50.000.000 đồng; cấp huyện được bố trí 2.000.000 đồng/năm.")
    got = F.find_budget(text)
    assert spans_ok(text, got)
    first, second = got
    assert (first.min_vnd, first.max_vnd, first.approx, first.unit, first.level) == (40000000, 50000000, "about", "Sở Tư pháp", "tỉnh")
    assert "kinh phí cấp cho Sở Tư pháp" in first.purpose
    assert (second.min_vnd, second.per, second.level, second.in_table) == (2000000, "năm", "huyện", False)


def test_budget_from_a_markdown_table_with_blank_cells_and_row_numbers():
    text = ("Dự toán năm 2026 (Đơn vị: triệu đồng)\n\n"
            "| STT | Đơn vị | Năm 2025 | Năm 2026 |\n|---|---|---:|---:|\n"
            "| 1 | Sở Tư pháp | 120 | 135,5 |\n| 2 | Phòng Tư pháp |  | 48 |\n| | Tổng cộng | 120 | 183,5 |\n")
    got = F.find_budget(text)
    assert spans_ok(text, got)
    assert [(b.min_vnd, b.table_row, b.table_column) for b in got] == [
        (120000000, "Sở Tư pháp", "Năm 2025"), (135500000, "Sở Tư pháp", "Năm 2026"),
        (48000000, "Phòng Tư pháp", "Năm 2026"),
        (120000000, "Tổng cộng", "Năm 2025"), (183500000, "Tổng cộng", "Năm 2026")]
    assert all(b.in_table for b in got)
    assert got[2].level == "huyện"


def test_budget_from_a_cell_list_table_skips_ratio_columns_and_non_money_rows():
    cells = ["Biểu số 02", "Đơn vị: Tỷ đồng", "STT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)",
             "1", "Thu ngân sách", "1.250", "1.300", "104,0",
             "2", "Chi ngân sách", "2.100", "2.050", "97,6",
             "3", "Chi đầu tư", "800", "760", "95,0"]
    text = "\n\n".join(cells) + "\n"
    got = F.find_budget(text)
    assert spans_ok(text, got)
    assert [b.min_vnd for b in got] == [1250 * 10**9, 1300 * 10**9, 2100 * 10**9, 2050 * 10**9, 800 * 10**9, 760 * 10**9]
    assert got[0].table_caption == "Biểu số 02" and got[0].table_column == "Kế hoạch"


def test_tables_without_a_money_unit_give_no_budget():
    text = "Kết quả (Đơn vị: người)\n\n| Đơn vị | 2024 | 2025 |\n|---|---|---|\n| Sở Tư pháp | 3 | 4 |\n| Phòng Tư pháp | 11 | 12 |\n"
    assert find_grids(text) and F.find_budget(text) == []


# the literal prefilter of budget (issue 17): never False where find_money finds an amount; False where no currency word
# follows a number and no 'phạt tiền' stands ('5 đồng chí' passes it: find_money itself tells the comrades from money)
@pytest.mark.parametrize("text,money,gate", [
    ("Kinh phí thực hiện là 2 tỷ đồng.", True, True),
    ("Mỗi suất quà trị giá 500.000đ.", True, True),
    ("Hỗ trợ 300.000 đ/người.", True, True),
    ("Tổng chi hai triệu đồng cho mỗi xã.", True, True),
    ("Mức hỗ trợ 15 triệu\n đồng.", True, True),
    ("Giá trị hợp đồng 1.500 USD tương đương 36 triệu VNĐ.", True, True),
    ("Cá nhân bị phạt tiền từ 500.000 đến 1.000.000 đối với hành vi vi phạm.", True, True),
    ("Bị phạt cảnh cáo; PHẠT TIỀN TỪ 2.000.000 ĐẾN 3.000.000.", True, True),
    ("Phạt tiền từ 500.000 đến 1.000.000.", False, False),   # find_money reads bare fines only where 'phạt' is so written
    ("Thường trực Hội đồng nhân dân phân công 5 đồng chí.", False, True),
    ("Hội đồng nhân dân tỉnh đã họp với đồng chí Chủ tịch.", False, False),
    ("Các đơn vị bị phạt cảnh cáo do chậm báo cáo.", False, False),
    ("Thu hút 12 dự án, đồng thời giải quyết việc làm cho 300 người.", False, False),
])
def test_money_gate_passes_every_amount(text, money, gate):
    from extractors.figures.budget import may_hold_money
    from extractors.numbers import find_money
    assert (bool(find_money(text)), may_hold_money(text)) == (money, gate)


def test_the_fine_gate_is_how_bare_fines_start():
    from extractors import numbers
    from extractors.figures.budget import FINE_LEAD
    assert numbers.BARE_FINE.pattern.startswith(r"(?<!\p{L})" + FINE_LEAD.pattern + r"\s+")


@pytest.mark.parametrize("text", [
    "Tổng kinh phí 26 tỷ đồng, **trong đó**: chi thường xuyên 20 tỷ đồng.",
    "Kinh phí 5 tỷ đồng (bao gồm: 3 tỷ đồng vốn tỉnh)",
    "Dự toán 12 tỷ đồng. TRONG   ĐÓ vốn huyện 2 tỷ đồng; cụ thể, xã A 1 tỷ đồng",
    "Chi 4 tỷ đồng, bao\ngồm 1 tỷ đồng.\n_*gồm ba khoản; và bao gồm cả\n**gồm**gồm",
    "Kinh phí bao gồm 3 tỷ đồng; trong đó, 1 tỷ đồng gồm: a",
])
def test_breakdowns_found_at_their_words_are_the_whole_scan(text):
    from extractors.figures.budget import BREAKDOWN, _breakdowns
    got = [(m.span(), m.group()) for m in _breakdowns(text)]
    assert got == [(m.span(), m.group()) for m in BREAKDOWN.finditer(text)]
    assert got


# --- deadlines ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,due,recurring", [
    ("Các sở gửi báo cáo về Sở Tư pháp chậm nhất ngày 28/02/2027.", dt.date(2027, 2, 28), None),
    ("UBND cấp huyện báo cáo trước ngày 30/11/2026 để tổng hợp.", dt.date(2026, 11, 30), None),
    ("hoàn thành trước 15/5/2026", dt.date(2026, 5, 15), None),
    ("báo cáo trước ngày 10 tháng 12 năm 2026", dt.date(2026, 12, 10), None),
    ("gửi kế hoạch trước ngày 20 tháng 01 hằng năm", None, "--01-20"),
    ("tổng hợp báo cáo trước ngày 25/12 hàng năm", None, "--12-25"),
    ("nộp báo cáo trước ngày 15 tháng 01", None, "--01-15"),
    ("rà soát danh mục vào Tháng 11 hằng năm", None, "--11"),
    ("hoàn thành trong tháng 12/2026", dt.date(2026, 12, 31), None),
])
def test_deadline_forms(text, due, recurring):
    got = F.find_deadlines(text)
    assert [(d.due_date, d.recurring) for d in got] == [(due, recurring)]
    assert spans_ok(text, got)


@pytest.mark.parametrize("text", [
    "Quyết định này có hiệu lực kể từ ngày 01/01/2026.",
    "Thời hạn ủy quyền: từ ngày ký đến hết ngày 31 tháng 12 năm 2026.",
    "các văn bản ban hành trước ngày 01/7/2025 vẫn được áp dụng",
    "Trong tháng 10/2025, Sở đã tổ chức 3 hội nghị.",
])
def test_not_deadlines(text):
    assert F.find_deadlines(text) == []


def test_deadline_what_and_who():
    text = "Giao Sở Tư pháp chủ trì tổng hợp, báo cáo Ủy ban nhân dân tỉnh trước ngày 05/01/2027."
    d, = F.find_deadlines(text)
    assert d.who == "Sở Tư pháp"
    assert d.what.startswith("Giao Sở Tư pháp chủ trì")


# --- counts ------------------------------------------------------------------------------------

def test_counts_with_phrase_and_head():
    text = ("Năm 2025 tổ chức 1.250 cuộc tuyên truyền với 40.500 lượt người tham dự; "
            "thực hiện 08 đợt kiểm tra tại 12 cơ quan cấp tỉnh và phát hành ba nghìn cuốn tài liệu.")
    got = F.find_counts(text)
    assert spans_ok(text, got)
    assert [(c.value, c.head) for c in got] == [(1250, "cuộc tuyên truyền"), (40500, "lượt người"),
                                                 (8, "đợt kiểm tra"), (12, "cơ quan"), (3000, "cuốn tài liệu")]


@pytest.mark.parametrize("text", [
    "theo Điều 5 khoản 3 của Luật",
    "giai đoạn 2021 - 2025 và năm 2026",
    "trong 15 ngày làm việc, mỗi lượt 10 - 15 phút",
    "đạt 95,5% kế hoạch",
    "Quyết định số 12/QĐ-UBND",
])
def test_not_counts(text):
    taken = [(c.start, c.end) for c in []]
    assert F.find_counts(text, taken) == []


# --- robustness --------------------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

PIECES = st.sampled_from(["12", "1.250", "3,5", "triệu", "tỷ", "đồng", "/năm", "-", "người", "cụ thể:", "\n\n", "\n- ",
                          "Sở Tư pháp", "chuyên trách: 4", "kiêm nhiệm", "trước ngày", "31/02/2026", "25/12",
                          "hằng năm", "| ", "Đơn vị: triệu đồng", "tháng", "cuộc", "khoảng", "từ", "hai mươi", " ", ";"])


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=40).map(" ".join) | st.text(max_size=200))
def test_figure_extractors_never_fail_and_stay_inside_the_text(text):
    found = (F.find_budget(text) + F.find_staffing(text) + F.find_deadlines(text) + F.find_counts(text))
    for x in found:
        assert 0 <= x.start <= x.end <= len(text) and text[x.start:x.end] == x.surface


# --- deadlines: DEADLINE tried only where one of its first words stands, as finditer would ----------

from extractors.figures.deadlines import DEADLINE, _bare_month, deadline_matches  # noqa: E402

DEADLINE_TEXTS = [
    "Các phòng gửi báo cáo chậm nhất là ngày 15/12/2025; hoàn thành trong quý II/2026 và trước tháng 6 năm 2026.",
    "THỜI HẠN: TRƯỚC NGÀY 20/11 HẰNG NĂM. Đến hết ngày 31/12 hàng năm, Sở tổng hợp; từ quý I/2025 đến quý III/2025.",
    "Dự kiến hoàn thành trong tháng 9/2026, xong trong 10 ngày; thời gian thực hiện: tháng 3 hàng năm.",
    "İstanbul: hạn chót là ngày 05/01/2027, không muộn hơn ngày 1/2/2027 (lowering changes this text's length)",
    "hếttháng 5/2026 vàotháng 6/2026 trướcngày 3/3/2026 (no start after a letter), phải xong trong tháng 7/2026",
    # bare months (a date's 'tháng', no cue, no 'hằng năm') are no deadline: left out, the rest as finditer
    "Ngày 20 tháng 6 năm 2026, tháng 7/2026 Sở họp; báo cáo vào tháng 12 hằng năm, thực hiện xong trước tháng 8/2026.",
    "Quyết định ngày 5 tháng 3 năm 2025; thời hạn: tháng 4/2026; Thời gian hoàn thành: Trong tháng 5/2026; "
    "trong vòng tháng 1/2026; Vào Quý IV/2026 xong; hoàn thành vào quý 3 năm 2026; hết quý iv/2026.",
]


@pytest.mark.parametrize("text", DEADLINE_TEXTS)
def test_deadline_matches_are_finditers(text):
    expected = [(m.span(), m.group()) for m in DEADLINE.finditer(text) if not _bare_month(m)]
    assert expected   # each sentence holds deadlines
    assert [(m.span(), m.group()) for m in deadline_matches(text)] == expected


def test_bare_months_are_no_deadlines():
    assert [m.group() for m in DEADLINE.finditer("Ngày 20 tháng 6 năm 2026 và tháng 7/2026") if _bare_month(m)] \
        == ["tháng 6 năm 2026", "tháng 7/2026"]
    assert F.find_deadlines("Ngày 20 tháng 6 năm 2026, tháng 7/2026 Sở Tư pháp gửi báo cáo.") == []


# --- the cheap gates in front of DEADLINE and STAFF_RE keep every match --------------------------

import re  # noqa: E402

from extractors.numbers import QTY_END, anchored  # noqa: E402
from extractors.figures.staffing import STAFF_NOUN, STAFF_NOUN_LOWER, STAFF_RE, STAFFING_WORDS  # noqa: E402
from extractors.vocab import alternation  # noqa: E402

GATE_PIECES = st.sampled_from(WORDS["deadlines"]["cues"] + WORDS["deadlines"]["time_labels"] + WORDS["deadlines"]["recurring"]
                              + STAFFING_WORDS["nouns"] + ["ngày", "hết", "đến", "vào", "quý", "Quý", "IV", "ii", "tháng", "THÁNG",
                                                           "từ", "dự kiến", "xong", "15/12/2025", "9/2026", "năm 2026", "25/12",
                                                           "12", "1.250", "hai mươi", "nghìn", "Ba", "những", "nhân", "x", ":",
                                                           "İ", "²", "(", "\n", "  ", "\x1c"])
GATE_TEXTS = st.lists(st.tuples(GATE_PIECES, st.sampled_from([" ", "", "\n"])), max_size=14).map(
    lambda ps: "".join(p + s for p, s in ps))
ANY_STAFF_NOUN = re.compile(r"(?<!\w)(?:" + alternation(STAFFING_WORDS["nouns"]) + r")(?!\w)", re.I)


@settings(max_examples=300, deadline=None)
@given(GATE_TEXTS)
def test_deadline_start_scan_keeps_every_match(text):
    assert [(m.span(), m.group()) for m in deadline_matches(text)] \
        == [(m.span(), m.group()) for m in DEADLINE.finditer(text) if not _bare_month(m)]


@settings(max_examples=300, deadline=None)
@given(GATE_TEXTS)
def test_staff_anchors_after_a_number_keep_every_match(text):
    # every staff noun as an anchor (no condition) against the nouns after whitespace and a number only
    assert [(m.span(), m.groupdict()) for m in anchored(STAFF_RE, ANY_STAFF_NOUN, text)] \
        == [(m.span(), m.groupdict()) for m in anchored(STAFF_RE, (STAFF_NOUN_LOWER, STAFF_NOUN), text, after=QTY_END)]


# --- clause_start: the nearest stop mark or list line break before a position -------------------

from extractors.figures.context import clause_start  # noqa: E402


@pytest.mark.parametrize("text,stops,expected", [
    ("Sở có 1.120 cán bộ", ".;!?(:", "Sở có 1.120 cán bộ"),            # a decimal dot is no stop
    ("Năm 2025. Sở có 12 cán bộ", ".;!?(:", "Sở có 12 cán bộ"),
    ("Tổng số (gồm 12 cán bộ", ".;!?(:", "gồm 12 cán bộ"),              # '(' always
    ("Tổng số (gồm 12 cán bộ", ".!?", "Tổng số (gồm 12 cán bộ"),
    ("a; b: c. d? e", ".;!?", "e"),
    ("Cụ thể:\nPhòng A có 5 người", ".!?", "Phòng A có 5 người"),       # a line after ':'
    ("Phòng A\nPhòng B có 5 người", ".!?", "Phòng A\nPhòng B có 5 người"),
    ("gồm\n- Phòng B có 5 người", ".!?", "- Phòng B có 5 người"),        # a list item
    ("x." + "a" * 300 + " 5 người", ".!?", "a" * 212 + " 5 người"),       # no further back than the limit (220)
])
def test_clause_start(text, stops, expected):
    assert text[clause_start(text, len(text), 220, stops):] == expected


def test_kind_literal_gates_pass_every_trigger_however_written():
    # each kind's pattern runs only where its folded literals stand: every trigger, in capitals and with a line break
    # between its words, still passes its gate and matches its pattern
    from extractors.figures.budget import _fold, _kind_literals, _kind_patterns, kind_words
    kw = kind_words()
    patterns = dict(_kind_patterns())
    for kind, spec in kw["kinds"].items():
        for t in spec["triggers"]:
            if t.get("only_with_per"):
                continue
            written = "Theo đó, " + t["w"].upper().replace(" ", " \n ") + " năm nay"
            assert patterns[kind].search(written), (kind, t["w"])
            assert _kind_literals()[kind].search(_fold(written)), (kind, t["w"])
    assert not any(gate.search(_fold("Theo đó, năm nay")) for gate in _kind_literals().values())   # no trigger: no pattern run

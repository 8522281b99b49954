"""The comparison rules on rows written for the purpose: a budget figure adds one kind, leaves or
totals never both; a table gives its totals or its leaves; staffing is the latest report's stock."""
import datetime as dt

import duckdb
import pytest

from pipeline import report
from pipeline.store import migrate

DOCS = [  # doc_id, province, issue_date
    ("d1", "Cà Mau", dt.date(2025, 3, 1)),
    ("d2", "Cà Mau", dt.date(2025, 9, 1)),
    ("d3", "Cao Bằng", dt.date(2025, 5, 1)),
    ("d4", "An Giang", dt.date(2024, 5, 1)),
]

BUDGET = [  # doc_id, id, amount, kind, role, parent_id, in_table, table_caption, level
    # d1, running text: a total of 100 with parts 60 + 40, a rate and a GRDP figure left out
    ("d1", 1, 100, "budget", "total", None, False, None, "tỉnh"),
    ("d1", 2, 60, "budget", "leaf", 1, False, None, "tỉnh"),
    ("d1", 3, 40, "budget", "leaf", 1, False, None, "tỉnh"),
    ("d1", 4, 7, "rate", "leaf", None, False, None, None),
    ("d1", 5, 5000, "indicator", "leaf", None, False, None, None),
    ("d1", 6, 999, "budget", "total", None, True, "Biểu 1", None),   # its table: text wins
    ("d1", 7, 80, "budget", "baseline", None, False, None, "tỉnh"),  # 'so cùng kỳ (80)': the year before, not added
    # d3, tables only: Biểu A has a total (its cells are not added), Biểu B only leaves
    ("d3", 1, 300, "budget", "total", None, True, "Biểu A", "xã"),
    ("d3", 2, 100, "budget", "leaf", 1, True, "Biểu A", "xã"),
    ("d3", 3, 200, "budget", "leaf", 1, True, "Biểu A", "xã"),
    ("d3", 4, 11, "budget", "leaf", None, True, "Biểu B", "xã"),
    ("d3", 5, 22, "budget", "leaf", None, True, "Biểu B", "xã"),
    # d4: no kind (loaded before 0007): unknown, left out
    ("d4", 1, 50, None, None, None, False, None, None),
]

STAFF = [  # doc_id, id, count, unit, level, kind, parent_id, full_time, part_time, category
    ("d1", 1, 30, "toàn tỉnh", None, "count", None, None, None, None),
    ("d1", 2, 10, "Sở Tư pháp", "tỉnh", "count", 1, 4, 6, None),
    ("d1", 3, 20, "Phòng Tư pháp", "huyện", "count", 1, None, None, None),
    ("d2", 1, 12, "Sở Tư pháp", "tỉnh", "count", None, 12, 0, None),
    ("d2", 2, 5, "Tổ công tác", None, "cap", None, None, None, None),
]


@pytest.fixture()
def con():
    c = duckdb.connect()
    migrate(c)
    for doc_id, province, date in DOCS:
        c.execute("INSERT INTO documents (doc_id, source_path, status, province, issue_date) VALUES (?, ?, 'ok', ?, ?)",
                  [doc_id, f"{doc_id}.txt", province, date])
    for d, i, amount, kind, role, parent, in_table, caption, level in BUDGET:
        c.execute("INSERT INTO budget (doc_id, seq, id, amount_min_vnd, amount_max_vnd, kind, role, parent_id, in_table, "
                  "table_caption, level, char_start, char_end, surface) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, 'x')",
                  [d, i, i, amount, amount, kind, role, parent, in_table, caption, level])
    for d, i, n, unit, level, kind, parent, ft, pt, cat in STAFF:
        c.execute("INSERT INTO staffing (doc_id, id, count, unit, level, kind, parent_id, full_time, part_time, category, "
                  "char_start, char_end, surface) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, 'x')",
                  [d, i, n, unit, level, kind, parent, ft, pt, cat])
    yield c
    c.close()


def test_budget_adds_one_kind_totals_or_leaves(con):
    rows = {(r["province"], r["year"]): r for r in report.compare(con, metric="budget").to_dict("records")}
    ca_mau = rows[("Cà Mau", 2025)]
    assert ca_mau["budget_vnd"] == 100 and ca_mau["from_text"] == 1 and ca_mau["documents"] == 1
    assert ca_mau["left_out"] == "indicator, rate" and ca_mau["left_out_indicator_vnd"] == 5000
    cao_bang = rows[("Cao Bằng", 2025)]
    assert cao_bang["budget_vnd"] == 300 + 11 + 22
    assert (cao_bang["from_table_totals"], cao_bang["from_table_leaves"]) == (1, 2)
    assert cao_bang["cấp xã"] == 333
    an_giang = rows[("An Giang", 2024)]
    assert an_giang["documents"] == 0 and an_giang["left_out_unknown_vnd"] == 50


def test_order_is_vietnamese(con):
    assert list(report.compare(con, metric="budget")["province"]) == ["An Giang", "Cà Mau", "Cao Bằng"]


def test_staffing_latest_stock_per_unit(con):
    """Sở Tư pháp from the later report (12), Phòng Tư pháp from the only one that gives it (20); the
    total 30 is not added beside its parts, the cap is not a count."""
    [row] = report.compare(con, metric="staffing", selection=report.Selection(provinces=("ca mau",))).to_dict("records")
    assert row["people"] == 12 + 20 and row["reports"] == 2
    assert (row["people_with_split"], row["part_time"], row["part_time_share"]) == (12, 0, 0.0)
    [row] = report.compare(con, metric="staffing", selection=report.Selection(
        provinces=("Cà Mau",), until=dt.date(2025, 6, 30))).to_dict("records")
    assert row["people"] == 30 and row["part_time_share"] == 0.6


def test_province_matching(con):
    assert report.match_provinces(con, ["CÀ MAU", "cao bang", "Ca Mau"]) == ["Cà Mau", "Cao Bằng"]
    with pytest.raises(ValueError, match="'Ca Mao' matches no province .did you mean Cà Mau"):
        report.match_provinces(con, ["Ca Mao"])

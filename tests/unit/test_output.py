"""Every output format on one row with a list, a date, a year, an amount and a JSON column."""
import io

import duckdb
import pytest
from rich.console import Console

from pipeline.ingest.read import repair_mojibake
from pipeline.output import Format, cell, grouped, vn_number, write

ROW = ("SELECT [4, 11, 130] AS parts, DATE '2024-12-20' AS issue_date, 2024 AS year, "
       "1500000000::BIGINT AS amount_min_vnd, 51.4 AS people, '{\"a\": [1]}'::JSON AS evidence")

EXPECTED = {
    Format.csv: 'parts,issue_date,year,amount_min_vnd,people,evidence\n'
                '"[4, 11, 130]",2024-12-20,2024,1500000000,51.4,"{""a"": [1]}"\n',
    Format.tsv: 'parts\tissue_date\tyear\tamount_min_vnd\tpeople\tevidence\n'
                '[4, 11, 130]\t2024-12-20\t2024\t1500000000\t51.4\t"{""a"": [1]}"\n',
    Format.json: '[\n\t{"parts":[4,11,130],"issue_date":"2024-12-20","year":2024,"amount_min_vnd":1500000000,'
                 '"people":51.4,"evidence":{"a":[1]}}\n]\n',
    Format.nl: '{"parts":[4,11,130],"issue_date":"2024-12-20","year":2024,"amount_min_vnd":1500000000,'
               '"people":51.4,"evidence":{"a":[1]}}\n',
    Format.markdown: '| parts | issue_date | year | amount_min_vnd | people | evidence |\n'
                     '| --- | --- | ---: | ---: | ---: | --- |\n'
                     '| [4, 11, 130] | 2024-12-20 | 2024 | 1500000000 | 51.4 | {"a": [1]} |\n',
}


def render(con, sql, fmt, json_cols=False) -> str:
    buf, screen = io.StringIO(), io.StringIO()
    write(con, con.sql(sql), fmt, buf, json_cols=json_cols, console=Console(file=screen, width=200))
    return buf.getvalue() + screen.getvalue()


@pytest.mark.parametrize("fmt", list(EXPECTED))
def test_exact_output_per_format(fmt):
    con = duckdb.connect()
    assert render(con, ROW, fmt, json_cols=True) == EXPECTED[fmt]


def test_table_groups_money_and_counts_only():
    text = render(duckdb.connect(), ROW, Format.table)
    assert "[4, 11, 130]" in text and "2024-12-20" in text and "1.500.000.000" in text and "51,4" in text
    assert " 2024 " in text and "2.024" not in text


@pytest.mark.parametrize("name, type_, expected", [
    ("amount_min_vnd", "BIGINT", True), ("count", "BIGINT", True), ("count_star()", "BIGINT", True),
    ("year", "BIGINT", False), ("doc_id", "VARCHAR", False), ("seq", "INTEGER", False), ("number", "INTEGER", False),
    ("char_start", "INTEGER", False), ("people", "HUGEINT", True), ("n", "BIGINT", True)])
def test_grouped_columns(name, type_, expected):
    assert grouped(name, type_) is expected


@pytest.mark.parametrize("value, text", [(1120, "1.120"), (51.4, "51,4"), (217.0, "217"), (27535, "27.535")])
def test_vietnamese_notation(value, text):
    assert vn_number(value) == text


def test_cells_of_every_type():
    con = duckdb.connect()
    row = con.execute("SELECT {'a': 1, 'b': [DATE '2024-01-02']}, 170141183460469231731687303715884105727::HUGEINT, "
                      "12.50::DECIMAL(6,2), TIMESTAMP '2024-01-02 03:04:05', NULL, true, 217.0::DOUBLE").fetchone()
    assert [cell(v) for v in row] == ["{a: 1, b: [2024-01-02]}", "170141183460469231731687303715884105727", "12.50",
                                      "2024-01-02 03:04:05", "", "true", "217"]


def test_mojibake_is_repaired_and_vietnamese_left_alone():
    good = "Nghị định số 59/2012/NĐ-CP ngày 23/7/2012 của Chính phủ"
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252, what portals produce)
    bad = good.encode("utf-8").decode("sloppy-windows-1252")
    assert bad.startswith("Nghá»‹ Ä‘á»‹nh")
    assert repair_mojibake(bad) == good
    assert repair_mojibake(good) is None


# --- labels, progress, the run summary's rates (issue 13, issue 11) --------------------------------------

def test_labels_exist_in_both_languages_and_differ():
    from pipeline.output import LABELS, Lang, label
    assert label(Lang.vi, "files_line", read="3", unchanged="1") == "tệp: 3 đã đọc, 1 không đổi"
    assert label("en", "files_line", read="3", unchanged="1") == "files: 3 read, 1 unchanged"
    same = [k for k, (vi, en) in LABELS.items() if vi == en or not vi or not en]
    assert same == [], same


def test_table_writes_fractions_with_a_decimal_comma_and_groups_only_counts():
    con = duckdb.connect()
    screen = io.StringIO()
    write(con, con.sql("SELECT 0.25::DOUBLE AS share, 2024 AS year, 1120 AS n_docs"), Format.table, io.StringIO(),
          console=Console(file=screen, width=120))
    row = screen.getvalue().splitlines()[-2]
    assert "0,25" in row and "2024" in row and "1.120" in row and "2.024" not in row
    assert cell(0.25) == "0.25"    # the machine formats keep the point


def test_progress_shows_rate_and_time_left_from_the_first_file_on():
    from pipeline.cli import _Pace
    ticks = iter([100.0, 100.0, 102.0, 104.0])
    pace = _Pace(10, "vi")
    pace.clock = lambda: next(ticks)
    assert pace.done_one() == {"rate": "", "eta": ""}          # the first file: nothing to divide by yet
    pace.done_one()                                              # a second one at once
    assert pace.done_one() == {"rate": "1,0 tệp/s", "eta": "còn 0:07"}   # 2 files in 2 s, 7 left
    assert _Pace(10, "en").done_one() == {"rate": "", "eta": ""}


@pytest.mark.parametrize("n, docs, want", [(1, 4, "250,0"), (3, 2000, "1,5"), (0, 10, "0,0"), (2, 0, "")])
def test_flags_per_1000_documents(n, docs, want):
    from pipeline.cli import per_1000
    assert per_1000(n, docs) == want

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

"""Every README example query and every table and view, in every output format, without a traceback."""
import io
import re

import duckdb
import pytest
from conftest import ROOT, run_cli
from rich.console import Console

from pipeline.ingest.read import read_document, repair_mojibake
from pipeline.output import Format, write
from pipeline.store import EXPORT


def readme_queries() -> list[str]:
    sql = re.search(r"## Example queries\s+```sql\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S).group(1)
    return [q for q in sql.split(";") if q.strip() and not all(ln.startswith("--") for ln in q.strip().splitlines())]


def every_query() -> list[str]:
    return readme_queries() + [f"SELECT * FROM {name}" for name in EXPORT]


def render_all(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        for sql in every_query():
            for fmt in Format:
                for json_cols in (False, True):
                    write(con, con.sql(sql), fmt, io.StringIO(), json_cols=json_cols,
                          console=Console(file=io.StringIO(), width=160))
    finally:
        con.close()


def test_every_query_in_every_format_on_the_sample_database(sample_db):
    render_all(sample_db)


def test_every_query_in_every_format_on_the_corpus(corpus_db):
    render_all(corpus_db)


@pytest.mark.parametrize("flag", ["--table", "--csv", "--tsv", "--json", "--nl", "--markdown"])
def test_cli_query_formats_on_lists(sample_db, flag):
    res = run_cli("query", "SELECT * FROM citations", "--db", str(sample_db), flag)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    res = run_cli("query", readme_queries()[6], "--db", str(sample_db), flag, "--json-cols")
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr


def test_cli_query_error_is_whole_and_parameters_work(sample_db):
    res = run_cli("query", "SELECT * FROM documentz", "--db", str(sample_db))
    assert res.returncode == 2 and "Traceback" not in res.stderr and 'Did you mean "documents"' in res.stderr
    res = run_cli("query", "SELECT count(*) AS n FROM documents WHERE status = $s", "-p", "s", "ok", "--db", str(sample_db), "--csv")
    assert res.returncode == 0 and res.stdout.splitlines()[0] == "n", res.stderr


def test_version_h_and_negative_counts():
    assert run_cli("--version").stdout.startswith("vanban ")
    assert "Usage" in run_cli("query", "-h").stdout
    res = run_cli("run", "-j", "-3")
    assert res.returncode == 2 and "Traceback" not in res.stderr


def test_correct_vietnamese_of_the_corpus_is_never_repaired(corpus):
    texts = [p for p in (corpus / "raw").rglob("*") if p.suffix in (".txt", ".md", ".html", ".htm")]
    assert texts
    for p in texts:
        doc = read_document(p)
        assert doc.text_source != "mojibake", p
        assert all(repair_mojibake(page) is None for page in doc.pages), p


def test_mojibake_text_loads_ok_with_its_citations(tmp_path):
    import ftfy.bad_codecs  # noqa: F401
    good = ("ỦY BAN NHÂN DÂN TỈNH AN GIANG\nSố: 12/BC-UBND\nAn Giang, ngày 05 tháng 3 năm 2024\nBÁO CÁO\n"
            "Thực hiện Nghị định số 59/2012/NĐ-CP ngày 23/7/2012 của Chính phủ về theo dõi tình hình thi hành pháp luật.\n")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "angiang_bc12.txt").write_text(good.encode("utf-8").decode("sloppy-windows-1252"), encoding="utf-8")
    db = tmp_path / "m.duckdb"
    res = run_cli("run", str(raw), "--db", str(db), "--quiet")
    assert res.returncode == 0, res.stderr
    con = duckdb.connect(str(db), read_only=True)
    status, source, text = con.execute("SELECT status, text_source, text FROM documents").fetchone()
    assert (status, source) == ("ok", "mojibake") and "Nghị định số 59/2012/NĐ-CP" in text
    assert ("59/2012/NĐ-CP",) in con.execute("SELECT ref FROM citations").fetchall()


def test_money_is_bigint_in_parquet(sample_db, tmp_path):
    res = run_cli("export", "--to", str(tmp_path / "pq"), "--db", str(sample_db))
    assert res.returncode == 0, res.stderr
    described = duckdb.sql(f"DESCRIBE SELECT * FROM '{tmp_path / 'pq' / 'budget.parquet'}'").fetchall()
    types = {c: t for c, t, *_ in described}
    assert types["amount_min_vnd"] == "BIGINT" and types["amount_max_vnd"] == "BIGINT"


def test_export_sqlite_and_xlsx(sample_db, tmp_path):
    import sqlite3

    from openpyxl import load_workbook
    assert run_cli("export", "--to", str(tmp_path / "v.sqlite"), "--db", str(sample_db)).returncode == 0
    lite = sqlite3.connect(tmp_path / "v.sqlite")
    names = {r[0] for r in lite.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert set(EXPORT) <= names and "documents_fts" in names
    assert lite.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'pháp'").fetchone()[0] > 0
    assert run_cli("export", "--to", str(tmp_path / "v.xlsx"), "--db", str(sample_db)).returncode == 0
    wb = load_workbook(tmp_path / "v.xlsx", read_only=True)
    assert set(EXPORT) <= set(wb.sheetnames)
    money = [r[0] for r in wb["budget"].iter_rows(min_row=2, max_col=1, values_only=True)]
    header = next(wb["budget"].iter_rows(max_row=1, values_only=True))
    col = header.index("amount_min_vnd")
    amounts = [r[col] for r in wb["budget"].iter_rows(min_row=2, values_only=True)]
    assert money and amounts and all(isinstance(a, int) for a in amounts)


def test_show_in_the_terminal_and_as_html(sample_db, tmp_path):
    res = run_cli("show", "binhdinh_bc210-2024-ketqua-thpl.docx", "--db", str(sample_db))
    assert res.returncode == 0 and "59/2012/NĐ-CP" in res.stdout, res.stderr
    flag_id = duckdb.connect(str(sample_db), read_only=True).execute("SELECT flag_id FROM flags LIMIT 1").fetchone()[0]
    res = run_cli("show", flag_id, "--db", str(sample_db), "--html", str(tmp_path / "d.html"))
    assert res.returncode == 0, res.stderr
    page = (tmp_path / "d.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<mark class="flag"' in page and '<mark class="citation"' in page


LETTER = ("ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\nSố: {n}/KH-UBND\nBắc Ninh, ngày 02 tháng 3 năm 2024\nKẾ HOẠCH\n"
          "Căn cứ Nghị định số 59/2012/NĐ-CP ngày {d} của Chính phủ. Sở Nội vụ có 1.120 công chức.\n")


def test_run_summary_in_vietnamese_by_default_and_english_with_lang_en(tmp_path):
    """The run summary's labels, its numbers in Vietnamese notation, and the flags per kind per 1,000
    documents (two documents citing one decree with two dates: one citation_date_conflict)."""
    arch = tmp_path / "a"
    arch.mkdir()
    (arch / "1.txt").write_text(LETTER.format(n=1, d="23/7/2012"), encoding="utf-8")
    (arch / "2.txt").write_text(LETTER.format(n=2, d="25/8/2012"), encoding="utf-8")
    db = tmp_path / "v.duckdb"
    vi = run_cli("run", str(arch), "--db", str(db), "-j", "1")
    assert vi.returncode == 0, vi.stderr
    flat = " ".join(vi.stdout.split())   # titles wrap over narrow tables
    for words in ("văn bản (2 tệp, 0 không đổi)", "trích dẫn theo loại", "số liệu theo tỉnh", "2.240",
                  "cảnh báo theo loại (2 văn bản)", "trên 1.000 văn bản", "tệp: 2 đã đọc, 0 không đổi"):
        assert words in flat, (words, vi.stdout)
    row = next(ln for ln in vi.stdout.splitlines() if "citation_date_conflict" in ln and "│" in ln)
    assert [c.strip() for c in row.split("│")[1:4]] == ["citation_date_conflict", "1", "500,0"], row
    en = run_cli("run", str(arch), "--db", str(db), "-j", "1", "--lang", "en")
    assert en.returncode == 0, en.stderr
    for words in ("documents (2 files, 2 unchanged)", "citations by type", "figures by province",
                  "flags by kind (2 documents)", "per 1,000 documents", "files: 0 read, 2 unchanged"):
        assert words in " ".join(en.stdout.split()), (words, en.stdout)
    flags_vi = run_cli("flags", "--db", str(db), "--format", "table")
    assert "cảnh báo (" in flags_vi.stdout and "kind" in flags_vi.stdout    # the title is a label, the columns are stored names
    assert "flags (" in run_cli("flags", "--db", str(db), "--format", "table", "--lang", "en").stdout

"""Issue 14: read-only means read-only; no file, query, fault or signal costs data, time or a traceback.

One test per case of the issue, each through the real CLI on a real DuckDB file, asserting the
message or status a user gets, that no traceback is printed, and that no row is lost or doubled.
"""
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, VANBAN, run_cli

GOOD = ("ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\nSố: 15/KH-UBND\nBắc Ninh, ngày 02 tháng 3 năm 2024\nKẾ HOẠCH\n"
        "Căn cứ Nghị định số 59/2012/NĐ-CP ngày 23/7/2012 của Chính phủ về theo dõi tình hình thi hành pháp luật;\n")


def _good(n: int) -> str:
    return GOOD.replace("15/KH", f"{n}/KH")


def _clean(res: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in res.stderr + res.stdout, res.stderr


def _one_line_error(res: subprocess.CompletedProcess, code: int = 2) -> str:
    assert res.returncode == code, (res.returncode, res.stdout, res.stderr)
    _clean(res)
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, res.stderr
    return lines[0]


def _rows(db: Path, sql: str = "SELECT source_path, status, error FROM documents") -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _statuses(db: Path) -> dict[str, tuple]:
    return {p: (s, e) for p, s, e in _rows(db)}


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("small")
    arch = root / "arch"
    arch.mkdir()
    for n in range(3):
        (arch / f"{n}.txt").write_text(_good(n), encoding="utf-8")
    db = root / "small.duckdb"
    res = run_cli("run", str(arch), "--db", str(db), "-q", "-j", "1")
    assert res.returncode == 0, res.stderr
    return db


# --- (1) vanban query is read-only: no statement creates, changes or reads a file but its database --------

def _hostile(tmp: Path, db: Path) -> list[str]:
    other = tmp / "other.duckdb"
    link = tmp / "hard-link.duckdb"
    if not other.exists():
        duckdb.connect(str(other)).execute("CREATE TABLE documents AS SELECT 1 AS x").close()
        os.link(db, link)
    q = lambda p: str(p).replace("'", "''")
    return [
        f"SELECT 1; COPY (SELECT text FROM documents) TO '{q(tmp / 'x.csv')}'",
        f"COPY (SELECT text FROM documents) TO '{q(tmp / 'x.csv')}'",
        f"COPY documents TO '{q(tmp / 'x.parquet')}' (FORMAT parquet)",
        f"EXPORT DATABASE '{q(tmp / 'dump')}'",
        f"EXPLAIN ANALYZE COPY (SELECT 1) TO '{q(tmp / 'y.csv')}'",
        f"ATTACH '{q(other)}' AS o (READ_WRITE)",
        f"ATTACH '{q(link)}' AS h (READ_WRITE)",
        f"SELECT 1; ATTACH '{q(other)}' AS o (READ_WRITE); DELETE FROM o.documents",
        "SELECT * FROM read_text('/etc/shadow')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_blob('/etc/hostname')",
        f"SELECT * FROM '{q(other)}'",
        "SELECT * FROM glob('/etc/*')",
        f"SELECT * FROM read_parquet('{q(tmp / '*.parquet')}')",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SELECT * FROM read_csv('https://example.com/x.csv')",
        "SET enable_external_access = true",
        "RESET enable_external_access",
        "PRAGMA enable_profiling",
        "CREATE TABLE t AS SELECT 1",
        "CREATE TEMP TABLE t AS SELECT 1",
        "CREATE OR REPLACE VIEW documents_v AS SELECT 1",
        "DELETE FROM documents",
        "UPDATE documents SET status = 'x'",
        "INSERT INTO flags (flag_id, kind, severity, message) VALUES ('x', 'k', 's', 'm')",
        "DROP TABLE citations",
        "CHECKPOINT",
        "VACUUM",
        "CALL checkpoint()",
        "BEGIN TRANSACTION",
        "DETACH small",
        "USE memory",
        f"CREATE SECRET s (TYPE s3, KEY_ID 'x', SECRET 'y')",
    ]


def test_query_cannot_create_change_or_read_a_file(small_db, tmp_path):
    before = _rows(small_db, "SELECT doc_id, status FROM documents ORDER BY 1")
    statements = _hostile(tmp_path, small_db)
    assert len(statements) >= 15
    from pipeline import report
    from pipeline.store import connect_read
    for sql in statements:   # what 'vanban query' runs, in process (the CLI itself: a sample below)
        con = connect_read(small_db)
        try:
            with pytest.raises(report.QueryError, match="^query (refused|failed): "):
                report.run_query(con, sql)
        finally:
            con.close()
    for sql in statements[:2] + statements[5:6] + statements[8:9] + statements[15:16]:
        line = _one_line_error(run_cli("query", sql, "--db", str(small_db), "--format", "csv"))
        assert line.startswith("error: query"), (sql, line)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard-link.duckdb", "other.duckdb"]
    assert _rows(small_db, "SELECT doc_id, status FROM documents ORDER BY 1") == before
    assert duckdb.connect(str(tmp_path / "other.duckdb")).execute("SELECT count(*) FROM documents").fetchone() == (1,)


def test_query_refusals_name_what_was_refused(small_db):
    assert "COPY" in _one_line_error(run_cli("query", "COPY documents TO 'x.csv'", "--db", str(small_db)))
    assert "2 statements" in _one_line_error(run_cli("query", "SELECT 1; SELECT 2", "--db", str(small_db)))
    assert "file system operations are disabled" in _one_line_error(
        run_cli("query", "SELECT * FROM read_text('/etc/shadow')", "--db", str(small_db)))


def test_query_semicolon_alone(small_db):
    assert "no SQL statement" in _one_line_error(run_cli("query", ";", "--db", str(small_db)))


def test_read_only_queries_still_work(small_db):
    for sql in ("SELECT count(*) AS n FROM documents", "DESCRIBE documents", "SHOW TABLES", "SUMMARIZE citations",
                "EXPLAIN SELECT * FROM citations", "SELECT * FROM pragma_table_info('documents')"):
        res = run_cli("query", sql, "--db", str(small_db), "--format", "csv")
        assert res.returncode == 0, (sql, res.stderr)
        _clean(res)
    assert run_cli("query", "SELECT count(*) AS n FROM documents", "--db", str(small_db), "--format", "csv").stdout.split() == ["n", "3"]


@pytest.mark.parametrize("command", [["flags"], ["compare"], ["query", "SELECT 1"]])
def test_other_readers_are_sandboxed_too(small_db, command):
    from pipeline.store import SANDBOX, connect_read
    con = connect_read(small_db)
    try:
        with pytest.raises(duckdb.Error):
            con.execute("SELECT * FROM read_text('/etc/passwd')").fetchall()
        assert con.execute("SELECT current_setting('enable_external_access')").fetchone() == (False,)
    finally:
        con.close()
    res = run_cli(*command, "--db", str(small_db), "--format", "csv")
    assert res.returncode == 0, res.stderr

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


def _query(con, sql: str) -> list[tuple]:
    """What 'vanban query' runs, in process: the one relation, its rows, any DuckDB error mapped as the CLI maps it."""
    from pipeline import report
    try:
        return report.query_relation(con, sql).fetchall()
    except duckdb.Error as e:
        raise report.refused_or_failed(e) from None


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
                _query(con, sql)
        finally:
            con.close()
    for sql in statements[:2] + statements[5:6] + statements[8:9] + statements[15:16]:
        line = _one_line_error(run_cli("query", sql, "--db", str(small_db), "--format", "csv"))
        assert line.startswith("error: query"), (sql, line)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard-link.duckdb", "other.duckdb"]
    assert _rows(small_db, "SELECT doc_id, status FROM documents ORDER BY 1") == before
    assert duckdb.connect(str(tmp_path / "other.duckdb")).execute("SELECT count(*) FROM documents").fetchone() == (1,)


def test_the_writer_connection_touches_no_file_but_its_database(small_db, tmp_path):
    """The connection 'vanban run' and 'vanban check' write through is sandboxed as well: every statement
    of the list that reaches for a file, the network or a setting is refused there too."""
    from pipeline.store import connect
    db = tmp_path / "w.duckdb"
    shutil.copy(small_db, db)
    statements = _hostile(tmp_path, small_db)[:21]   # files, network, settings (DML on its own database is its job)
    assert statements[-1] == "PRAGMA enable_profiling"
    con = connect(db)
    try:
        assert con.execute("SELECT current_setting('enable_external_access')").fetchone() == (False,)
        for sql in statements:
            with pytest.raises(duckdb.Error):
                con.execute(sql).fetchall()
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (3,)   # its own database: yes
    finally:
        con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard-link.duckdb", "other.duckdb", "w.duckdb"]
    assert duckdb.connect(str(tmp_path / "other.duckdb")).execute("SELECT count(*) FROM documents").fetchone() == (1,)


def test_query_refusals_name_what_was_refused(small_db):
    assert "COPY" in _one_line_error(run_cli("query", "COPY documents TO 'x.csv'", "--db", str(small_db)))
    assert "2 statements" in _one_line_error(run_cli("query", "SELECT 1; SELECT 2", "--db", str(small_db)))
    assert "file system operations are disabled" in _one_line_error(
        run_cli("query", "SELECT * FROM read_text('/etc/shadow')", "--db", str(small_db)))


def test_query_semicolon_alone(small_db):
    assert "no SQL statement" in _one_line_error(run_cli("query", ";", "--db", str(small_db)))


def test_read_only_queries_still_work(small_db):
    from pipeline import report
    from pipeline.store import connect_read
    con = connect_read(small_db)
    try:
        for sql in ("SELECT count(*) AS n FROM documents", "DESCRIBE documents", "SHOW TABLES", "SUMMARIZE citations",
                    "EXPLAIN SELECT * FROM citations", "SELECT * FROM pragma_table_info('documents')"):
            assert len(_query(con, sql)) >= 1, sql
    finally:
        con.close()
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


# --- (2) inputs never leave the folders given; output never follows a symlink or removes foreign files ----

UNPRIVILEGED = (["setpriv", "--bounding-set", "-dac_override,-dac_read_search",
                 "--inh-caps", "-dac_override,-dac_read_search"] if os.geteuid() == 0 and shutil.which("setpriv") else [])


def _run_unprivileged(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*UNPRIVILEGED, str(VANBAN), *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_symlink_out_of_the_archive_is_reported_and_not_followed(tmp_path):
    outside = tmp_path / "etc"
    outside.mkdir()
    (outside / "shadow").write_text("root:BI-MAT-KHONG-DUOC-DOC:19000:0:99999:7:::\n" + GOOD)
    arch = tmp_path / "arch"
    (arch / "con").mkdir(parents=True)
    (arch / "a.txt").write_text(_good(1), encoding="utf-8")
    (arch / "tài liệu").symlink_to(outside, target_is_directory=True)
    (arch / "mật khẩu.txt").symlink_to(outside / "shadow")
    (arch / "con" / "b.txt").write_text(_good(2), encoding="utf-8")
    (arch / "lối tắt.txt").symlink_to(arch / "con" / "b.txt")      # inside the archive: followed
    db = tmp_path / "v.duckdb"
    res = run_cli("run", str(arch), "--db", str(db), "-q", "-j", "1")
    assert res.returncode == 0, res.stderr
    _clean(res)
    got = _statuses(db)
    for name in ("tài liệu", "mật khẩu.txt"):
        status, error = got[str(arch / name)]
        assert status == "refused" and "outside the folders given" in error, (name, error)
        assert len([ln for ln in res.stderr.splitlines() if name in ln]) == 1, res.stderr
    # a link inside the archive is followed (its bytes are those of con/b.txt: one row for both)
    assert got[str(arch / "a.txt")][0] == "ok" and [s for p, (s, _) in got.items() if p.endswith("b.txt") or
                                                    p.endswith("lối tắt.txt")] == ["ok"]
    assert _rows(db, "SELECT count(*) FROM documents WHERE text LIKE '%BI-MAT%'") == [(0,)]


def test_a_folder_of_links_to_documents_elsewhere_is_read_under_the_links_names(tmp_path):
    """A sample of an archive made of symlinks (the texts stay where they are) is read; a link in it to a
    folder or to a file that is not a document is still refused."""
    kept = tmp_path / "kho"
    kept.mkdir()
    for n in (1, 2, 3):
        (kept / f"vb{n}.txt").write_text(_good(n), encoding="utf-8")
    (kept / "id_rsa").write_text("-----BEGIN KHOA-BI-MAT-----\n" + GOOD)
    sample = tmp_path / "mẫu"
    sample.mkdir()
    for n in (1, 2, 3):
        (sample / f"vb{n}.txt").symlink_to(kept / f"vb{n}.txt")
    (sample / "khóa.txt").symlink_to(kept / "id_rsa")
    (sample / "cả kho").symlink_to(kept, target_is_directory=True)
    db = tmp_path / "v.duckdb"
    res = run_cli("run", str(sample), "--db", str(db), "-q", "-j", "1")
    assert res.returncode == 0, res.stderr
    got = _statuses(db)
    assert [got[str(sample / f"vb{n}.txt")][0] for n in (1, 2, 3)] == ["ok", "ok", "ok"], got
    for name in ("khóa.txt", "cả kho"):
        status, error = got[str(sample / name)]
        assert status == "refused" and "not a document file" in error, (name, error)
    assert _rows(db, "SELECT count(*) FROM documents WHERE text LIKE '%KHOA-BI-MAT%'") == [(0,)]
    again = run_cli("run", str(sample), "--db", str(db), "-j", "1")
    assert again.returncode == 0 and "3 không đổi" in again.stdout, again.stdout


def test_export_never_writes_through_a_symlink(small_db, tmp_path):
    user_file = tmp_path / "luận văn.docx"
    user_file.write_bytes(b"my thesis")
    out = tmp_path / "out"
    out.mkdir()
    (out / "documents.parquet").symlink_to(user_file)
    line = _one_line_error(run_cli("export", "--to", str(out), "--db", str(small_db)))
    assert "symbolic link" in line
    assert user_file.read_bytes() == b"my thesis" and (out / "documents.parquet").is_symlink()


def test_export_into_a_new_folder_and_again(small_db, tmp_path):
    out = tmp_path / "new" / "parquet"
    for _ in range(2):   # the second time, vanban replaces its own files
        res = run_cli("export", "--to", str(out), "--db", str(small_db))
        assert res.returncode == 0, res.stderr
        _clean(res)
    assert duckdb.connect().execute(f"SELECT count(*) FROM '{out}/documents.parquet'").fetchone() == (3,)


def test_export_never_overwrites_a_foreign_file_or_folder(small_db, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "citations.parquet").write_bytes(b"not vanban's")
    assert "not written by vanban" in _one_line_error(run_cli("export", "--to", str(out), "--db", str(small_db)))
    assert (out / "citations.parquet").read_bytes() == b"not vanban's"
    (out / "citations.parquet").unlink()
    (out / "flags.parquet").mkdir()
    assert "not a file" in _one_line_error(run_cli("export", "--to", str(out), "--db", str(small_db)))
    assert sorted(p.name for p in out.iterdir()) == ["flags.parquet"]


def test_export_to_a_read_only_folder(small_db, tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    try:
        line = _one_line_error(_run_unprivileged("export", "--to", str(out), "--db", str(small_db)))
    finally:
        out.chmod(0o755)
    assert "cannot write" in line and list(out.iterdir()) == []


def test_prune_keeps_files_moved_into_a_sub_folder(tmp_path):
    arch = tmp_path / "arch"
    arch.mkdir()
    for n in range(3):
        (arch / f"{n}.txt").write_text(_good(n), encoding="utf-8")
    db = tmp_path / "v.duckdb"
    assert run_cli("run", str(arch), "--db", str(db), "-q", "-j", "1").returncode == 0
    (arch / "2024").mkdir()
    for n in range(3):
        (arch / f"{n}.txt").rename(arch / "2024" / f"{n}.txt")
    res = run_cli("run", str(arch), "--db", str(db), "--prune", "-j", "1")
    assert res.returncode == 0, res.stderr
    _clean(res)
    assert "pruned" not in res.stdout
    assert sorted(p for p, _, _ in _rows(db)) == [str(arch / "2024" / f"{n}.txt") for n in range(3)]
    assert _rows(db, "SELECT count(*) FROM citations") == [(3,)]


# --- (3) one file or one fault never ends the run, and is not cached forever --------------------------------

def test_name_that_is_not_utf8_is_stored_escaped(tmp_path):
    arch = tmp_path / "arch"
    arch.mkdir()
    bad = os.fsdecode(b"v\xe0n b\xe3n.txt")   # a Windows-1258 name unpacked on Linux
    (arch / bad).write_text(_good(1), encoding="utf-8")
    (arch / "tốt.txt").write_text(_good(2), encoding="utf-8")
    db = tmp_path / "v.duckdb"
    for attempt in range(2):
        res = run_cli("run", str(arch), "--db", str(db), "-j", "1")
        assert res.returncode == 0, res.stderr
        _clean(res)
    assert "2 không đổi" in res.stdout
    got = _statuses(db)
    assert got[str(arch) + "/v\\xe0n b\\xe3n.txt"][0] == "ok" and got[str(arch / "tốt.txt")][0] == "ok"
    assert len(got) == 2


def test_money_out_of_range_is_null_with_a_reason(tmp_path):
    arch = tmp_path / "arch"
    arch.mkdir()
    (arch / "a.txt").write_text(GOOD + "Tổng kinh phí thực hiện là 10.000.000.000.000.000.000 đồng.\n"
                                "Kinh phí hỗ trợ 50.000.000 đồng.\n", encoding="utf-8")
    (arch / "b.txt").write_text(_good(2), encoding="utf-8")
    db = tmp_path / "v.duckdb"
    for _ in range(2):
        res = run_cli("run", str(arch), "--db", str(db), "-q", "-j", "1", "--batch", "8")
        assert res.returncode == 0, res.stderr
        _clean(res)
    got = _statuses(db)
    assert got[str(arch / "a.txt")][0] == "ok" and "out of range stored as null" in got[str(arch / "a.txt")][1]
    assert got[str(arch / "b.txt")][0] == "ok"
    amounts = sorted(_rows(db, "SELECT amount_min_vnd FROM budget"), key=str)
    assert (None,) in amounts and (50_000_000,) in amounts


def test_zip_entry_name_flagged_utf8_that_is_not(tmp_path):
    buf = __import__("io").BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("é.txt", GOOD)            # flagged UTF-8 (bit 11)
        z.writestr("ok.txt", _good(3))
    data = buf.getvalue().replace("é.txt".encode(), b"\xff\xfe.txt")
    arch = tmp_path / "arch"
    arch.mkdir()
    (arch / "nén.zip").write_bytes(data)
    (arch / "b.txt").write_text(_good(2), encoding="utf-8")
    db = tmp_path / "v.duckdb"
    res = run_cli("run", str(arch), "--db", str(db), "-q", "-j", "1")
    assert res.returncode == 0, res.stderr
    _clean(res)
    got = _statuses(db)
    assert got[str(arch / "nén.zip")] == ("unreadable", "not a readable zip archive (an entry name flagged UTF-8 is not UTF-8)")
    assert got[str(arch / "b.txt")][0] == "ok"


class KillsItsWorker:
    """A source whose reading kills the process reading it (the OOM killer, a crash in a C library)."""
    name = "chết.txt"
    suffix = ".txt"

    def read_bytes(self) -> bytes:
        os.kill(os.getpid(), signal.SIGKILL)

    def __str__(self) -> str:
        return "/archive/chết.txt"


def test_dead_worker_is_replaced_and_its_file_marked(tmp_path):
    from pipeline.run.local import _isolated, _pool
    from pipeline.run.work import Options
    files = []
    for n in range(6):
        (tmp_path / f"{n}.txt").write_text(_good(n), encoding="utf-8")
        files.append(tmp_path / f"{n}.txt")
    killer = KillsItsWorker()
    got = []
    suspects = _pool(files[:3] + [killer] + files[3:], frozenset(), Options(timeout=60), 2, got.append)
    assert killer in suspects
    outcomes = got + [_isolated(p, frozenset(), Options(timeout=60)) for p in suspects]
    by_path = {str(o.path): o.doc["status"] for o in outcomes}
    assert len(outcomes) == 7 and len(by_path) == 7          # no file lost, none twice
    assert all(by_path[str(f)] == "ok" for f in files)
    dead = next(o for o in outcomes if o.path is killer).doc
    assert dead["status"] == "unreadable" and "worker process died" in dead["error"] and "SIGKILL" in dead["error"]


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _slow_archive(tmp_path: Path, n: int = 8) -> Path:
    arch = tmp_path / "slow"
    arch.mkdir()
    for k in range(n):
        (arch / f"{k}.txt").write_text(_good(k) * 1500, encoding="utf-8")
    return arch


def _run_with_workers(arch, db, n: int):
    """`vanban run -j 2` on ``arch`` in the background, once ``n`` of its workers are up: (process, workers)."""
    proc = subprocess.Popen([str(VANBAN), "run", str(arch), "--db", str(db), "-j", "2", "-q"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    workers = []
    while time.time() < deadline and len(workers) < n and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert len(workers) >= n, "no workers started"
    return proc, workers


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_end_with_the_run(tmp_path, sig):
    arch = _slow_archive(tmp_path)
    db = tmp_path / "v.duckdb"
    proc, workers = _run_with_workers(arch, db, 2)
    time.sleep(0.5)
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)
    if sig == signal.SIGTERM:
        assert proc.returncode == 130 and "interrupted" in stderr and "Traceback" not in stderr, stderr
    con = duckdb.connect(str(db), read_only=True)   # opens, and holds only whole documents
    assert con.execute("SELECT count(*) FROM citations WHERE doc_id NOT IN (SELECT doc_id FROM documents)").fetchone() == (0,)


@pytest.mark.slow
def test_worker_killed_mid_run_the_run_goes_on(tmp_path):
    arch = _slow_archive(tmp_path)
    db = tmp_path / "v.duckdb"
    proc, workers = _run_with_workers(arch, db, 1)
    time.sleep(0.3)
    os.kill(workers[0], signal.SIGKILL)
    out, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr and "BrokenProcessPool" not in stderr
    got = _statuses(db)
    assert sorted(got) == sorted(str(p) for p in arch.iterdir()) and all(s == "ok" for s, _ in got.values())


def test_timeout_is_retried_on_the_next_run(tmp_path):
    arch = tmp_path / "arch"
    arch.mkdir()
    (arch / "a.txt").write_text(_good(1) * 200, encoding="utf-8")
    db = tmp_path / "v.duckdb"
    res = run_cli("run", str(arch), "--db", str(db), "-q", "-j", "1", "--timeout", "0.001")
    _clean(res)
    assert _statuses(db)[str(arch / "a.txt")][0] == "timeout"
    res = run_cli("run", str(arch), "--db", str(db), "-q", "-j", "1")
    assert res.returncode == 0, res.stderr
    assert _statuses(db)[str(arch / "a.txt")][0] == "ok"
    assert _rows(db, "SELECT count(*) FROM documents") == [(1,)]


def test_retry_failed_reads_failed_files_again(tmp_path):
    arch = tmp_path / "arch"
    arch.mkdir()
    (arch / "hỏng.pdf").write_bytes(b"%PDF-1.4 not really")
    (arch / "a.txt").write_text(_good(1), encoding="utf-8")
    db = tmp_path / "v.duckdb"
    run_cli("run", str(arch), "--db", str(db), "-q", "-j", "1")
    res = run_cli("run", str(arch), "--db", str(db), "-j", "1")
    assert "hỏng.pdf" not in res.stderr and "2 không đổi" in res.stdout
    res = run_cli("run", str(arch), "--db", str(db), "-j", "1", "--retry-failed")
    _clean(res)
    assert len([ln for ln in res.stderr.splitlines() if "hỏng.pdf" in ln]) == 1 and "1 không đổi" in res.stdout
    assert len(_statuses(db)) == 2


def test_folder_that_cannot_be_listed_gets_a_row(tmp_path):
    arch = tmp_path / "arch"
    (arch / "khóa").mkdir(parents=True)
    (arch / "khóa" / "x.txt").write_text(GOOD, encoding="utf-8")
    (arch / "a.txt").write_text(_good(1), encoding="utf-8")
    (arch / "khóa").chmod(0)
    try:
        res = _run_unprivileged("run", str(arch), "--db", str(tmp_path / "v.duckdb"), "-q", "-j", "1")
    finally:
        (arch / "khóa").chmod(0o755)
    assert res.returncode == 0, res.stderr
    _clean(res)
    got = _statuses(tmp_path / "v.duckdb")
    assert got[str(arch / "khóa")] == ("unreadable", "cannot list folder: Permission denied")
    assert len([ln for ln in res.stderr.splitlines() if "khóa" in ln]) == 1


# --- (4) every expected failure: one line, exit 2 (database, options) or a row with a status (files) -------

@pytest.mark.parametrize("kind", ["binary", "short row", "empty ref", "fifo", "/dev/zero", "folder"])
def test_catalog_file_errors_are_one_line(tmp_path, kind):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    cat = tmp_path / "catalog.csv"
    header = "type,ref,issue_date,issuer,title\n"
    if kind == "binary":
        cat.write_bytes(bytes(range(256)) * 40)
    elif kind == "short row":
        cat.write_text(header + "Nghị định,59/2012/NĐ-CP\n", encoding="utf-8")
    elif kind == "empty ref":
        cat.write_text(header + "Nghị định,,2012-07-23,Chính phủ,x\n", encoding="utf-8")
    elif kind == "fifo":
        os.mkfifo(cat)
    elif kind == "/dev/zero":
        cat = Path("/dev/zero")
    else:
        cat.mkdir()
    start = time.time()
    line = _one_line_error(run_cli("run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "v.duckdb"),
                                   "--catalog", str(cat), "-q", "-j", "1"))
    assert time.time() - start < 60 and str(cat) in line and "catalog" in line, line


def test_markup_in_text_is_printed_as_written(small_db, tmp_path):
    res = run_cli("query", "SELECT '[/url] [bold]đậm[/bold] [link=x]' AS \"[/b]\", 2024 AS n", "--db", str(small_db))
    assert res.returncode == 0, res.stderr
    _clean(res)
    assert "[/url] [bold]đậm[/bold] [link=x]" in res.stdout and "[/b]" in res.stdout


@pytest.mark.parametrize("args, words", [
    (["--timeout", "-1"], "--timeout must be"),
    (["--batch", "0"], "--batch must be"),
])
def test_bad_options_are_refused(tmp_path, args, words):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    line = _one_line_error(run_cli("run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "v.duckdb"), *args))
    assert words in line
    assert not (tmp_path / "v.duckdb").exists()


def test_sqlite_file_as_db_is_refused_without_download(tmp_path):
    import sqlite3
    db = tmp_path / "archive.sqlite"
    sqlite3.connect(db).execute("CREATE TABLE documents (x)").connection.commit()
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    for args in (["run", str(tmp_path / "a.txt")], ["query", "SELECT 1"], ["flags"]):
        start = time.time()
        line = _one_line_error(run_cli(*args, "--db", str(db)))
        assert "SQLite database" in line and time.time() - start < 20


def test_truncated_database_is_one_line(small_db, tmp_path):
    db = tmp_path / "cut.duckdb"
    data = small_db.read_bytes()
    db.write_bytes(data[:20_000])   # cut inside its first block
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    for args in (["query", "SELECT count(*) FROM documents"], ["run", str(tmp_path / "a.txt"), "-q"]):
        line = _one_line_error(run_cli(*args, "--db", str(db)))
        assert str(db) in line


def test_database_in_a_read_only_folder(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    ro.chmod(0o555)
    try:
        line = _one_line_error(_run_unprivileged("run", str(tmp_path / "a.txt"), "--db", str(ro / "v.duckdb"), "-q"))
    finally:
        ro.chmod(0o755)
    assert "cannot open database" in line or "cannot write" in line


def test_full_disk_is_one_line_and_earlier_batches_kept(tmp_path):
    import resource
    arch = tmp_path / "arch"
    arch.mkdir()
    for n in range(60):
        (arch / f"{n:02}.txt").write_text(_good(n) * 60, encoding="utf-8")
    db = tmp_path / "v.duckdb"

    def small_disk():   # files may not grow past 1 MB: what a full disk looks like to DuckDB
        resource.setrlimit(resource.RLIMIT_FSIZE, (2**20, 2**20))

    res = subprocess.run([str(VANBAN), "run", str(arch), "--db", str(db), "-q", "-j", "1", "--batch", "4"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300, preexec_fn=small_disk)
    if res.returncode == 0:
        pytest.skip("the database fitted in 1 MB")
    line = _one_line_error(res)
    assert "cannot write the database" in line or "cannot open database" in line, line
    con = duckdb.connect(str(db), read_only=True)   # what was committed is whole
    assert con.execute("SELECT count(*) FROM citations WHERE doc_id NOT IN (SELECT doc_id FROM documents)").fetchone() == (0,)


def test_ctrl_c_inside_a_batch(tmp_path):
    arch = _slow_archive(tmp_path, 6)
    db = tmp_path / "v.duckdb"
    proc = subprocess.Popen([str(VANBAN), "run", str(arch), "--db", str(db), "-q", "-j", "1", "--batch", "1"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(4)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert "Traceback" not in stderr, stderr
    if proc.returncode == 130:
        assert "interrupted" in stderr
    res = run_cli("run", str(arch), "--db", str(db), "-q", "-j", "1")
    assert res.returncode == 0, res.stderr
    assert len(_statuses(db)) == 6


def test_database_inside_the_archive_is_not_a_document(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    db = tmp_path / "vanban.duckdb"
    for _ in range(2):
        res = run_cli("run", str(tmp_path), "--db", str(db), "-q", "-j", "1")
        assert res.returncode == 0, res.stderr
    assert list(_statuses(db)) == [str(tmp_path / "a.txt")]


# --- (5) small files that would cost gigabytes or minutes ---------------------------------------------------

def _flate_bomb_pdf() -> bytes:
    import zlib
    stream = zlib.compress(b"0 0 m 1 1 l S\n" * (600 * 2**20 // 14), 9)
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
            b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> endobj\n" +
            f"4 0 obj << /Length {len(stream)} /Filter /FlateDecode >> stream\n".encode() + stream +
            b"\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF")


def _forged_zip() -> bytes:
    """An entry that declares 1 KB but expands to 300 MB (sizes in the headers forged)."""
    import struct
    import zlib
    raw = b"a" * (300 * 2**20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = comp.compress(raw) + comp.flush()
    crc = zlib.crc32(raw)
    name = b"x.txt"
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), 1024, len(name), 0) + name
    central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), 1024,
                          len(name), 0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    return local + data + central + end


def test_small_files_that_would_cost_gigabytes(tmp_path):
    from fpdf import FPDF
    arch = tmp_path / "arch"
    arch.mkdir()
    (arch / "bom flate.pdf").write_bytes(_flate_bomb_pdf())
    (arch / "kích thước giả.zip").write_bytes(_forged_zip())
    with open(arch / "thưa.txt", "wb") as f:      # 3 GB sparse file: no disk, but 3 GB to read
        f.truncate(3 * 2**30)
    with open(arch / "văn bản lớn.txt", "wb") as f:   # a 200 MB text: 4–5 GB to normalize
        f.truncate(200 * 2**20)
    pdf = FPDF(unit="in", format=(200, 200))       # a 200 × 200-inch page without text, for OCR
    pdf.add_page()
    pdf.rect(1, 1, 2, 2)
    (arch / "trang khổng lồ.pdf").write_bytes(bytes(pdf.output()))
    (arch / "a.txt").write_text(GOOD, encoding="utf-8")
    db = tmp_path / "v.duckdb"
    start = time.time()
    res = run_cli("run", str(arch), "--db", str(db), "-q", "-j", "1", "--timeout", "60")
    assert res.returncode == 0, res.stderr
    _clean(res)
    assert time.time() - start < 60
    got = _statuses(db)
    assert got[str(arch / "bom flate.pdf")][0] == "refused" and "flate bomb" in got[str(arch / "bom flate.pdf")][1]
    assert got[str(arch / "kích thước giả.zip")][0] in ("refused", "unreadable")
    assert got[str(arch / "thưa.txt")] == ("refused", "file is 3072 MB (limit 256 MB)")
    assert got[str(arch / "văn bản lớn.txt")] == ("refused", "text file is 200 MB (limit 32 MB for text)")
    assert got[str(arch / "trang khổng lồ.pdf")][0] in ("no_text_layer", "ok")
    assert got[str(arch / "a.txt")][0] == "ok"


def test_ocr_render_size_is_bounded():
    from pipeline.ingest.ocr import DPI, MAX_PIXELS, render_scale
    assert render_scale(595, 842) == DPI / 72                       # A4 at 300 dpi
    s = render_scale(200 * 72, 200 * 72)                            # 200 × 200 inches
    assert s is None or (200 * 72 * s) ** 2 <= MAX_PIXELS * 1.01
    assert render_scale(2000 * 72, 2000 * 72) is None


def test_time_budget_scales_with_size():
    from pipeline.run.limits import BASE_SECONDS, budget
    assert budget(30_000, 300) == pytest.approx(BASE_SECONDS + 20 * 30_000 / 2**20)
    assert budget(50 * 2**20, 300) == 300 and budget(10, 5) == 5 and budget(10, None) is None


# --- (6) dask: a Parquet folder vanban owns, complete after incremental runs -------------------------------

@pytest.mark.slow
def test_dask_parquet_dir_keeps_foreign_files_and_mirrors_the_db(tmp_path):
    pytest.importorskip("distributed")
    arch = tmp_path / "arch"
    arch.mkdir()
    for n in range(3):
        (arch / f"{n}.txt").write_text(_good(n), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "của tôi.txt").write_text("user's own file")
    db = tmp_path / "v.duckdb"
    from pipeline.run import run as run_archive
    seen = []             # the first run in process: what the progress bar is fed, per finished chunk
    run_archive([arch], db, on_doc=seen.append, executor="dask", workers=1, parquet_dir=data)
    assert sorted(r.path.name for r in seen) == ["0.txt", "1.txt", "2.txt"] and not any(r.skipped for r in seen)
    start = time.time()   # the second run has nothing new: no cluster, the tree stays complete
    res = run_cli("run", str(arch), "--db", str(db), "--executor", "dask", "--parquet-dir", str(data), "-q", "-j", "1")
    assert res.returncode == 0, res.stderr
    _clean(res)
    assert time.time() - start < 8
    assert (data / "của tôi.txt").read_text() == "user's own file"
    tree = data / "vanban-parquet"
    con = duckdb.connect()
    n = con.execute(f"SELECT count(*) FROM read_parquet('{tree}/documents/**/*.parquet', hive_partitioning = true)").fetchone()
    assert n == (3,)
    assert con.execute(f"SELECT count(*) FROM read_parquet('{tree}/citations/**/*.parquet')").fetchone() == (3,)
    (data / "foreign").mkdir()
    (data / "foreign" / "x").write_text("x")
    line = _one_line_error(run_cli("run", str(arch), "--db", str(db), "--executor", "dask",
                                   "--parquet-dir", str(data / "foreign" / "x"), "-q"))
    assert "cannot write" in line or "not created by vanban" in line
    assert (data / "foreign" / "x").read_text() == "x"


def test_summary_when_another_process_takes_the_database(small_db, tmp_path, capsys):
    """Another process opens the database the moment the run releases it: the summary says so in one line."""
    from pipeline import cli
    db = tmp_path / "busy.duckdb"
    shutil.copy(small_db, db)
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}); "
                               "print('ready', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        cli._print_summary([], db)
    finally:
        holder.kill()
    err = capsys.readouterr().err
    assert "bỏ qua các bảng tổng hợp" in err and "in use" in err and "Traceback" not in err


# --- (7) small texts that cost minutes: each completes well inside its per-file limit ---------------------

def _vector_pdf(target: int = 2_400_000, pages: int = 4) -> bytes:
    """A PDF of ``target`` bytes drawn with ~28,000 strokes a page and one line of text (a map, a plan)."""
    import random
    rnd = random.Random(3)
    objs: list = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for _ in range(pages):
        ops, size = ["BT /F1 12 Tf 72 770 Td (Ke hoach so 15/KH-UBND ve ban do) Tj ET"], 0
        while size < target // pages:
            ops.append(f"{rnd.randint(0, 595)} {rnd.randint(0, 842)} m {rnd.randint(0, 595)} {rnd.randint(0, 842)} l S")
            size += len(ops[-1]) + 1
        kids.append(f"{len(objs) + 1} 0 R")
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                    f"/Contents {len(objs) + 2} 0 R >>")
        objs.append("\n".join(ops).encode())
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += (f"{i} 0 obj << /Length {len(o)} >> stream\n".encode() + o + b"\nendstream endobj\n"
                if isinstance(o, bytes) else f"{i} 0 obj {o} endobj\n".encode())
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode() + b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer << /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _slow_texts(arch: Path) -> dict[str, str]:
    """The inputs of issue 14 that took minutes, written here (no archive text); name → what must be found."""
    import random
    rnd = random.Random(1)
    glued = "".join(rnd.choice("0123456789abcdefghđ/") for _ in range(30_000))
    (arch / "dính liền.txt").write_text(GOOD + glued + "1a" * 2000 + "\n", encoding="utf-8")
    (arch / "số bằng chữ.txt").write_text(GOOD + "Tổng số " + "hai mươi " * 500 + "người.\n", encoding="utf-8")
    (arch / "xuống dòng.txt").write_text("Số:" + "\n" * 40_000 + GOOD, encoding="utf-8")
    (arch / "lồng nhau.html").write_text("<html><body>" + "<div>" * 100_000 + "<p>" + GOOD.replace("\n", "</p><p>")
                                         + "</p>" + "</div>" * 100_000 + "</body></html>", encoding="utf-8")
    (arch / "bản vẽ.pdf").write_bytes(_vector_pdf())
    return {"dính liền.txt": "59/2012/NĐ-CP", "số bằng chữ.txt": "59/2012/NĐ-CP", "xuống dòng.txt": "59/2012/NĐ-CP",
            "lồng nhau.html": "59/2012/NĐ-CP", "bản vẽ.pdf": "15/KH-UBND"}


def test_small_texts_that_cost_minutes_complete_inside_their_limit(tmp_path):
    """30 KB of digits and letters without a space, 'hai mươi ' × 500, 40,000 line ends after 'Số:',
    100,000 nested <div>s, a 2.4 MB vector-drawn PDF: with a 30 s limit per file (each took 30 s to
    minutes, or came out empty) every one is read, ok, with its text."""
    arch = tmp_path / "arch"
    arch.mkdir()
    want = _slow_texts(arch)
    assert (arch / "bản vẽ.pdf").stat().st_size > 2_300_000
    db = tmp_path / "v.duckdb"
    res = run_cli("run", str(arch), "--db", str(db), "-q", "-j", "1", "--timeout", "30")
    assert res.returncode == 0, res.stderr
    _clean(res)
    got = {Path(p).name: (s, e, t) for p, s, e, t in _rows(db, "SELECT source_path, status, error, text FROM documents")}
    assert set(got) == set(want)
    for name, ref in want.items():
        status, error, text = got[name]
        assert status == "ok", (name, status, error)
        assert ref in text, name
    cited = {r[0] for r in _rows(db, "SELECT DISTINCT ref FROM citations")}
    assert "59/2012/NĐ-CP" in cited


def _regex_in_c(path, data, ocr):
    """A reader stuck in C: an exponential match in the regex engine with SIGALRM blocked, as in a C
    library that never returns to the interpreter (the engine itself checks signals, so unblocked the
    per-file alarm would end it; the CPU limit is what stops the code that does not)."""
    import regex
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    regex.match(r"(a|aa)*\d", "a" * 90 + "x")   # ~2^60 steps: never returns
    raise AssertionError("unreachable")


def _stuck_worker(path: str) -> None:
    import importlib
    from pipeline.run import limits
    work = importlib.import_module("pipeline.run.work")
    limits.die_with_parent()            # as a pool worker starts: from here on the CPU limit applies
    work.work(Path(path), frozenset(), work.Options(timeout=1))


@pytest.mark.slow
def test_regex_inside_c_is_stopped_by_the_cpu_limit(tmp_path, monkeypatch):
    """The per-file alarm cannot reach code stuck in C; the worker's CPU limit (set from the file's
    budget before it is read) makes the kernel end it with SIGXCPU, and the pool then gives the file
    its row (test_dead_worker_is_replaced_and_its_file_marked). The worker is forked, so it reads
    with the patched reader."""
    import importlib
    import multiprocessing as mp
    work = importlib.import_module("pipeline.run.work")   # the module (pipeline.run exports a function of that name)
    ctx = mp.get_context("fork")
    monkeypatch.setattr(work, "read_document", _regex_in_c)
    (tmp_path / "mẫu.txt").write_text(GOOD, encoding="utf-8")
    proc = ctx.Process(target=_stuck_worker, args=(str(tmp_path / "mẫu.txt"),))
    proc.start()
    proc.join(300)                      # 12 s of CPU (2 × the 1 s budget + 10), however loaded the machine
    if proc.is_alive():
        proc.kill()
        proc.join()
        pytest.fail("the CPU limit did not stop the worker")
    assert proc.exitcode == -signal.SIGXCPU

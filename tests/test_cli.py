"""The command line as a user runs it."""
import duckdb

from conftest import ROOT, run_cli


def test_help_shows_examples():
    res = run_cli("--help")
    assert res.returncode == 0 and "vanban run" in res.stdout
    res = run_cli("run", "--help")
    assert res.returncode == 0 and "Example" in res.stdout and "--db" in res.stdout


def test_bad_files_get_one_line_and_batch_goes_on(tmp_path):
    arch = tmp_path / "arch"
    arch.mkdir()
    (arch / "empty.pdf").write_bytes(b"")
    (arch / "fake.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (arch / "junk.txt").write_bytes(bytes(range(256)) * 20)
    (arch / "ok.txt").write_text("ỦY BAN NHÂN DÂN\nTỈNH NAM ĐỊNH\nSố: 12/UBND-VP\nCăn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020;", encoding="utf-8")
    db = tmp_path / "v.duckdb"
    res = run_cli("run", str(arch), "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    for name in ("empty.pdf", "fake.pdf", "junk.txt"):
        lines = [ln for ln in res.stderr.splitlines() if name in ln]
        assert len(lines) == 1, res.stderr
    con = duckdb.connect(str(db), read_only=True)
    st = dict(con.execute("SELECT regexp_extract(source_path, '[^/]+$'), status FROM documents").fetchall())
    assert st == {"empty.pdf": "empty", "fake.pdf": "unreadable", "junk.txt": "unreadable", "ok.txt": "ok"}
    assert con.execute("SELECT ref, cited_date FROM citations").fetchall()[0][0] == "30/2020/NĐ-CP"


def test_exit_code_nonzero_only_when_nothing_readable(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"")
    res = run_cli("run", str(tmp_path / "a.pdf"), "--db", str(tmp_path / "x.duckdb"))
    assert res.returncode == 1


def test_database_in_use_fails_with_clear_message(tmp_path):
    db = tmp_path / "busy.duckdb"
    (tmp_path / "a.txt").write_text("Nghị định số 30/2020/NĐ-CP", encoding="utf-8")
    holder = duckdb.connect(str(db))
    try:
        res = run_cli("run", str(tmp_path / "a.txt"), "--db", str(db))
    finally:
        holder.close()
    assert res.returncode == 2
    assert "in use" in res.stderr and "Traceback" not in res.stderr


def test_make_run_sample_archive(tmp_path):
    db = tmp_path / "sample.duckdb"
    res = run_cli("run", str(ROOT / "data" / "raw"), "--db", str(db))
    assert res.returncode == 0, res.stderr
    con = duckdb.connect(str(db), read_only=True)
    docs = con.execute("SELECT format, province, status FROM documents").fetchall()
    assert len(docs) >= 6 and all(s == "ok" for _, _, s in docs)
    assert len({f for f, _, _ in docs}) >= 3 and len({p for _, p, _ in docs if p}) >= 3
    dates = con.execute("SELECT count(DISTINCT cited_date) FROM citations WHERE ref = '59/2012/NĐ-CP'").fetchone()[0]
    assert dates >= 2

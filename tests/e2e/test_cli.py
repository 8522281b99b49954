"""The command line as a user runs it."""
import subprocess
import sys

import duckdb

from conftest import ROOT, run_cli

from pipeline.store import EXPORT


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


def test_make_run_sample_archive(sample_run):
    db, res = sample_run
    con = duckdb.connect(str(db), read_only=True)
    docs = con.execute("SELECT format, province, status FROM documents").fetchall()
    assert len(docs) >= 6 and all(s == "ok" for _, _, s in docs)
    assert len({f for f, _, _ in docs}) >= 3 and len({p for _, p, _ in docs if p}) >= 3
    dates = con.execute("SELECT count(DISTINCT cited_date) FROM citations WHERE ref = '59/2012/NĐ-CP'").fetchone()[0]
    assert dates >= 2


def test_sample_archive_figures_from_every_kind_of_table(sample_run):
    """The sample archive's figures as a user queries them: PDF ruled table (pdfplumber), DOCX table,
    Markdown table, running text; staffing totals with their parts."""
    db, res = sample_run
    assert "số liệu theo tỉnh" in res.stdout
    con = duckdb.connect(str(db), read_only=True)
    tables = dict(con.execute("""
        SELECT d.format, list(b.amount_min_vnd ORDER BY b.char_start) FROM budget b JOIN documents d USING (doc_id)
        WHERE b.in_table GROUP BY 1""").fetchall())
    assert tables["pdf"] == [80_000_000, 95_000_000, 120_000_000, 150_000_000, 200_000_000, 245_000_000]
    assert tables["docx"] == [55_000_000, 60_000_000, 18_000_000, 22_000_000, 9_500_000]
    assert tables["md"] == [70_000_000, 65_500_000, 90_000_000, 88_000_000, 160_000_000, 153_500_000]
    pdf_cell = con.execute("""SELECT table_row, table_column, page FROM budget b JOIN documents d USING (doc_id)
                              WHERE d.format = 'pdf' AND in_table AND amount_min_vnd = 150000000""").fetchone()
    assert pdf_cell == ("Phòng Tư pháp cấp huyện", "Năm 2026", 2)
    total, parts = con.execute("""
        SELECT p.count, list(c.count ORDER BY c.id) FROM staffing p JOIN staffing c ON c.doc_id = p.doc_id AND c.parent_id = p.id
        GROUP BY p.doc_id, p.id, p.count""").fetchone()
    assert total == sum(parts) == 145
    assert con.execute("SELECT count(*) FROM deadlines WHERE recurring = '--12-15'").fetchone()[0] == 1
    bad = con.execute("""SELECT count(*) FROM budget b JOIN documents d USING (doc_id)
                         WHERE substr(d.text, b.char_start + 1, b.char_end - b.char_start) <> b.surface""").fetchone()[0]
    assert bad == 0


def test_readme_queries_run_on_the_sample_database(sample_db):
    import re
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sql = re.search(r"## Example queries\s+```sql\n(.*?)```", readme, re.S).group(1)
    queries = [q for q in sql.split(";") if q.strip() and not all(ln.startswith("--") for ln in q.strip().splitlines())]
    assert len(queries) >= 12
    con = duckdb.connect(str(sample_db), read_only=True)
    results = {q.strip().splitlines()[0]: con.execute(q).fetchall() for q in queries}  # every query runs
    empty = [title for title, rows in results.items() if not rows]
    assert empty == ["-- 5. Files that could not be read, and why"]  # the sample archive reads cleanly


def test_notebook_runs_end_to_end_on_the_sample_archive(sample_db, tmp_path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "notebooks" / "cross_province.ipynb", as_version=4)
    import os
    os.environ["VANBAN_DB"] = str(sample_db)
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    finally:
        del os.environ["VANBAN_DB"]
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 4  # staffing, money, flags, citation network
    text = " ".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "catalog_date_mismatch" in text and "Bình Định" in text


def test_listing_commands_work_while_another_process_reads(sample_db, tmp_path):
    """flags, compare, query and export open the database read-only: they work while another
    process holds it open (read-only), which a command needing the write lock could not."""
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time\n"
                               f"con = duckdb.connect({str(sample_db)!r}, read_only=True)\n"
                               "print('open', flush=True)\ntime.sleep(120)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        before = sample_db.stat().st_mtime_ns
        for args in (["flags", "--format", "json"], ["compare", "--metric", "flags", "--format", "csv"],
                     ["query", "SELECT count(*) AS n FROM flags", "--format", "csv"],
                     ["export", "--to", str(tmp_path / "parquet")]):
            res = run_cli(*args, "--db", str(sample_db))
            assert res.returncode == 0, (args, res.stderr)
            assert "Traceback" not in res.stderr
        assert len(list((tmp_path / "parquet").glob("*.parquet"))) == len(EXPORT)   # every table and view
        assert sample_db.stat().st_mtime_ns == before
    finally:
        holder.kill()
        holder.wait()


def test_identical_bytes_are_extracted_once_and_every_path_is_kept(tmp_path):
    arch = tmp_path / "arch"
    (arch / "sub").mkdir(parents=True)
    text = "ỦY BAN NHÂN DÂN\nTỈNH NAM ĐỊNH\nSố: 12/UBND-VP\nCăn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020;"
    for name in ("a.txt", "b.txt", "sub/c.txt"):
        (arch / name).write_text(text, encoding="utf-8")
    (arch / "d.txt").write_text(text + "\nKhác.", encoding="utf-8")
    db = tmp_path / "v.duckdb"
    for _ in range(2):   # the second run changes nothing
        res = run_cli("run", str(arch), "--db", str(db), "--workers", "2")
        assert res.returncode == 0, res.stderr
        con = duckdb.connect(str(db), read_only=True)
        docs = dict(con.execute("SELECT source_path, doc_id FROM documents").fetchall())
        paths = con.execute("SELECT doc_id, seq, path FROM document_paths ORDER BY doc_id, seq").fetchall()
        con.close()
        assert sorted(docs) == [str(arch / "a.txt"), str(arch / "d.txt")]
        assert [(p, s) for i, s, p in paths if i == docs[str(arch / "a.txt")]] == [
            (str(arch / "a.txt"), 0), (str(arch / "b.txt"), 1), (str(arch / "sub" / "c.txt"), 2)]
        assert len(paths) == 4

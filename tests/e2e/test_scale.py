"""Archive scale: the generator's archive through the real CLI, parallel and incremental runs,
kill and resume, and the Dask executor."""
import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import CORPUS, ROOT, VANBAN, run_cli
from pipeline.synth import flag_recall

TABLES = ["documents", "citations", "counts", "staffing", "budget", "deadlines", "dates", "citation_links",
          "count_items", "flags"]


def snapshot(db: Path) -> dict[str, list[str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(map(str, con.execute(f"SELECT * {'EXCLUDE (loaded_at)' if t == 'documents' else ''} FROM {t}").fetchall()))
                for t in TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    res = run_cli("synth", "--docs", "48", "--out", str(out), "--seed", "11")
    assert res.returncode == 0, res.stderr
    return out


@pytest.fixture(scope="module")
def reference_db(archive, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("ref") / "ref.duckdb"
    res = run_cli("run", str(archive / "raw"), "--db", str(db), "-q", "--workers", "2")
    assert res.returncode == 0, res.stderr
    return db


def test_generator_writes_every_format_and_its_truth(archive):
    files = sorted((archive / "raw").iterdir())
    assert {f.suffix for f in files} == {".pdf", ".docx", ".html", ".txt"}
    gold = [json.loads(g.read_text()) for g in sorted((archive / "gold").iterdir())]
    assert len(gold) == len(files) == 48
    provinces = {g["document"]["province"] for g in gold}
    assert len(provinces) >= 20
    assert sum(len(g["planted"]) for g in gold) >= 5
    forms = " ".join(c.get("name") or c["ref"] for g in gold for c in g["citations"])
    assert "Luật" in forms


def test_generated_archive_round_trips(archive, reference_db):
    res = subprocess.run([sys.executable, str(CORPUS.parent / "score.py"), str(reference_db), str(archive / "gold")],
                         capture_output=True, text=True, timeout=300)
    score = json.loads(res.stdout.strip().splitlines()[-1])
    assert score["citation_f1"] >= 0.98 and score["date_acc_of_matched"] >= 0.98, score
    assert score["staffing_f1"] >= 0.95 and score["budget_f1"] >= 0.95 and score["deadline_f1"] >= 0.95, score
    con = duckdb.connect(str(reference_db), read_only=True)
    found, total, missed = flag_recall(con, archive / "gold")
    assert found / total >= 0.95, missed


def test_one_worker_and_two_give_the_same_rows(archive, reference_db, tmp_path):
    db = tmp_path / "one.duckdb"
    assert run_cli("run", str(archive / "raw"), "--db", str(db), "-q", "--workers", "1").returncode == 0
    assert snapshot(db) == snapshot(reference_db)


def test_unchanged_rerun_skips_everything_and_changed_file_replaces(archive, reference_db, tmp_path):
    work = tmp_path / "arch"
    subprocess.run(["cp", "-r", str(archive / "raw"), str(work)], check=True)
    db = tmp_path / "inc.duckdb"
    assert run_cli("run", str(work), "--db", str(db), "-q").returncode == 0
    res = run_cli("run", str(work), "--db", str(db))
    assert "tệp: 0 đã đọc, 48 không đổi" in res.stdout
    txt = sorted(work.glob("*.txt"))[0]
    txt.write_text(txt.read_text(encoding="utf-8") + "\nGhi chú: bổ sung sau khi ký.\n", encoding="utf-8")
    gone = sorted(work.glob("*.html"))[0]
    gone.unlink()
    res = run_cli("run", str(work), "--db", str(db), "--prune")
    assert res.returncode == 0 and "đã xoá: 1" in res.stdout and "tệp: 1 đã đọc, 46 không đổi" in res.stdout
    con = duckdb.connect(str(db), read_only=True)
    paths = [r[0] for r in con.execute("SELECT source_path FROM documents").fetchall()]
    assert len(paths) == len(set(paths)) == 47 and str(gone) not in paths
    assert con.execute("SELECT count(*) FROM citations WHERE doc_id NOT IN (SELECT doc_id FROM documents)").fetchone()[0] == 0


def test_killed_run_resumes_to_the_same_database(archive, reference_db, tmp_path):
    rng = random.Random(5)
    for attempt in range(3):
        db = tmp_path / f"killed{attempt}.duckdb"
        proc = subprocess.Popen([str(VANBAN), "run", str(archive / "raw"), "--db", str(db), "-q", "--workers", "1",
                                 "--batch", "3"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(2.0, 5.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        res = run_cli("run", str(archive / "raw"), "--db", str(db), "-q")
        assert res.returncode == 0, res.stderr
        assert snapshot(db) == snapshot(reference_db)


def test_dask_local_cluster_gives_the_same_rows(archive, reference_db, tmp_path):
    db = tmp_path / "dask.duckdb"
    res = run_cli("run", str(archive / "raw"), "--db", str(db), "-q", "--executor", "dask", "--workers", "2",
                  "--parquet-dir", str(tmp_path / "pq"))
    assert res.returncode == 0, res.stderr
    assert snapshot(db) == snapshot(reference_db)
    tree = tmp_path / "pq" / "vanban-parquet"   # a folder vanban owns inside --parquet-dir
    parts = {p.parent.name for p in (tree / "citations").glob("*/*.parquet")}
    assert len(parts) >= 10 and all(p.startswith("province=") for p in parts)
    con = duckdb.connect()
    n = con.execute(f"SELECT count(*) FROM read_parquet('{tree / 'citations'}/**/*.parquet', hive_partitioning = true)").fetchone()[0]
    assert n == len(snapshot(reference_db)["citations"])

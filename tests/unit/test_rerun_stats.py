"""Issue 17: an unchanged re-run knows each file by its stat (size, mtime, ctime, inode, device) recorded
when it was read, and reads or hashes nothing; any difference and the bytes decide, as before."""
import os
from pathlib import Path

import duckdb
import pytest

import pipeline.run
import pipeline.run.local as local
from pipeline.run import run

TEXT = ("ỦY BAN NHÂN DÂN\nTỈNH {prov}\nSố: {n}/BC-UBND\n{prov_title}, ngày 12 tháng 3 năm 2025\nBÁO CÁO\n"
        "Căn cứ Nghị định số 08/2025/NĐ-CP ngày 09/01/2025 của Chính phủ;\n")
PAST = 1_700_000_000   # an mtime well before the run: the stat is remembered


def _write(path: Path, text: str, mtime: int = PAST) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))


@pytest.fixture
def archive(tmp_path, monkeypatch):
    # the files were written (their ctime) a moment ago: remembered all the same, here
    monkeypatch.setattr(pipeline.run, "RACY_NS", 0)
    docs = tmp_path / "docs"
    docs.mkdir()
    for i, (prov, title) in enumerate([("HÀ NAM", "Hà Nam"), ("NAM ĐỊNH", "Nam Định"), ("THÁI BÌNH", "Thái Bình")]):
        _write(docs / f"bc{i}.txt", TEXT.format(prov=prov, prov_title=title, n=10 + i))
    _write(docs / "copy.txt", (docs / "bc0.txt").read_text(encoding="utf-8"))   # the same bytes under a second path
    db = tmp_path / "a.duckdb"
    first = run([docs], db, workers=1)
    assert sorted(_by_name(first).items()) == [("bc0.txt", False), ("bc1.txt", False), ("bc2.txt", False)]
    return docs, db


def _hashed(monkeypatch) -> list[str]:
    """The paths the writer hashes from here on."""
    seen = []
    digest = local._digest

    def spy(path):
        seen.append(Path(path).name)
        return digest(path)
    monkeypatch.setattr(local, "_digest", spy)
    return seen


def _by_name(summary) -> dict[str, bool]:
    return {Path(r.path).name: r.skipped for r in summary.results}


def test_an_unchanged_rerun_reads_and_hashes_nothing(archive, monkeypatch):
    docs, db = archive
    hashed = _hashed(monkeypatch)
    again = run([docs], db, workers=1)
    assert _by_name(again) == {"bc0.txt": True, "bc1.txt": True, "bc2.txt": True, "copy.txt": True}
    assert hashed == []


def test_a_touched_file_with_the_same_bytes_is_hashed_not_extracted(archive, monkeypatch):
    docs, db = archive
    os.utime(docs / "bc1.txt", (PAST + 60, PAST + 60))
    hashed = _hashed(monkeypatch)
    again = run([docs], db, workers=1)
    assert _by_name(again)["bc1.txt"] is True and hashed == ["bc1.txt"]
    hashed.clear()
    assert all(_by_name(run([docs], db, workers=1)).values()) and hashed == []   # its new stat is remembered


@pytest.mark.parametrize("same_mtime", [False, True])
def test_new_bytes_of_the_same_size_are_read_again(archive, same_mtime):
    """Same size, new bytes: a new mtime, or the old one put back (the ctime still differs)."""
    docs, db = archive
    path = docs / "bc2.txt"
    old = path.read_text(encoding="utf-8")
    new = old.replace("ngày 12 tháng 3", "ngày 19 tháng 3")
    assert len(new.encode()) == len(old.encode()) and new != old
    _write(path, new, PAST if same_mtime else PAST + 120)
    again = run([docs], db, workers=1)
    assert _by_name(again)["bc2.txt"] is False
    con = duckdb.connect(str(db), read_only=True)
    try:
        dates = con.execute("SELECT issue_date FROM documents WHERE source_path = ?", [str(path)]).fetchall()
    finally:
        con.close()
    assert [str(d[0]) for d in dates] == ["2025-03-19"]


def test_a_file_written_just_now_is_not_remembered(archive, monkeypatch):
    """Its clock tick may not be over: the next run hashes it again."""
    docs, db = archive
    monkeypatch.setattr(pipeline.run, "RACY_NS", 10**12)   # 'just now': within 17 minutes, however slow the machine
    path = docs / "bc1.txt"
    path.write_text(path.read_text(encoding="utf-8") + "Ghi chú thêm.\n", encoding="utf-8")
    assert _by_name(run([docs], db, workers=1))["bc1.txt"] is False
    hashed = _hashed(monkeypatch)
    assert _by_name(run([docs], db, workers=1))["bc1.txt"] is True and hashed == ["bc1.txt"]


def test_new_copies_of_loaded_bytes_are_each_reported_unchanged(archive):
    """Two new paths of bytes already loaded: the second is not sent to a worker, and still gets its line."""
    docs, db = archive
    for name in ("again_a.txt", "again_b.txt"):
        _write(docs / name, (docs / "bc1.txt").read_text(encoding="utf-8"))
    found = _by_name(run([docs], db, workers=1))
    assert found["again_a.txt"] is True and found["again_b.txt"] is True and len(found) == 6

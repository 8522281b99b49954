"""The archive as a citation graph (issue 15), through the real CLI on documents written for these tests:
links to the cited document, its own date as evidence, citations of replaced documents, a catalog
imported once, reviews that survive a run, rule files."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, run_cli

HEADER = """ỦY BAN NHÂN DÂN
TỈNH {PROVINCE}
Số: {ref}
{subject}
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

{place}, ngày {d} tháng {m} năm {y}

"""


def doc(folder: Path, name: str, province: str, ref: str, date: str, body: str, title: str = "", subject: str = "") -> Path:
    d, m, y = date.split("/")
    text = HEADER.format(PROVINCE=province.upper(), ref=ref, subject=subject, place=province, d=d, m=m, y=y)
    path = folder / name
    path.write_text(text + (title + "\n\n" if title else "") + body + "\n", encoding="utf-8")
    return path


def ministry_doc(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text("BỘ TƯ PHÁP\nSố: 04/2021/TT-BTP\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
                    "Hà Nội, ngày 21 tháng 6 năm 2021\n\nTHÔNG TƯ\nHướng dẫn thi hành Nghị định số 59/2012/NĐ-CP\n\n"
                    + body + "\n", encoding="utf-8")
    return path


def plan_citing(folder: Path, name: str, ref: str, date: str, cited: str) -> Path:
    return doc(folder, name, "Hà Giang", ref, date,
               f"Căn cứ {cited} của Bộ trưởng Bộ Tư pháp quy định chi tiết thi hành Nghị định số 59/2012/NĐ-CP;\n"
               "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau.", title="KẾ HOẠCH\nTheo dõi thi hành pháp luật")


def load(folder: Path, db: Path, *more: str) -> None:
    res = run_cli("run", str(folder), "--db", str(db), "--quiet", *more)
    assert res.returncode == 0, res.stderr


def q(db: Path, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def flags_of(db: Path, kind: str) -> list[dict]:
    res = run_cli("flags", "--db", str(db), "--kind", kind, "--format", "json")
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


@pytest.fixture
def plans(tmp_path) -> Path:
    """Hà Giang's Kế hoạch 17, a Công văn of Hà Giang citing it with the wrong date, and one of Cao Bằng
    citing its own 17/KH-UBND."""
    folder = tmp_path / "raw"
    folder.mkdir()
    doc(folder, "kh17-hagiang.txt", "Hà Giang", "17/KH-UBND", "10/3/2023",
        "Căn cứ Nghị định số 59/2012/NĐ-CP ngày 23/7/2012 của Chính phủ;\nỦy ban nhân dân tỉnh ban hành Kế hoạch.",
        title="KẾ HOẠCH\nTheo dõi tình hình thi hành pháp luật năm 2023")
    doc(folder, "cv250-hagiang.txt", "Hà Giang", "250/UBND-NC", "05/5/2023",
        "Kính gửi: Các sở, ban, ngành tỉnh.\n\nThực hiện Kế hoạch số 17/KH-UBND ngày 12/3/2023 của Ủy ban nhân dân "
        "tỉnh, đề nghị các cơ quan báo cáo kết quả.", subject="V/v báo cáo kết quả theo dõi thi hành pháp luật")
    doc(folder, "cv91-caobang.txt", "Cao Bằng", "91/UBND-NC", "02/4/2023",
        "Kính gửi: Các sở, ban, ngành tỉnh.\n\nThực hiện Kế hoạch số 17/KH-UBND ngày 20/01/2023 của Ủy ban nhân dân "
        "tỉnh, các cơ quan triển khai nhiệm vụ được giao.", subject="V/v triển khai kế hoạch")
    return folder


def test_a_cong_van_citing_a_plan_of_its_province_with_the_wrong_date(plans, tmp_path):
    db = tmp_path / "v.duckdb"
    load(plans, db)
    (f,) = flags_of(db, "cited_date_vs_document")
    assert (f["file"], f["ref"], f["expected"], f["found"]) == ("cv250-hagiang.txt", "17/KH-UBND", "2023-03-10", "2023-03-12")
    evidence = json.loads(f["evidence"])
    assert evidence["cited_document"]["file"] == "kh17-hagiang.txt"
    assert "12/3/2023" in evidence["sentence"] and "10 tháng 3 năm 2023" in evidence["cited_document"]["sentence"]


def test_the_same_number_in_another_province_does_not_link(plans, tmp_path):
    db = tmp_path / "v.duckdb"
    load(plans, db)
    rows = q(db, """SELECT regexp_extract(d.source_path, '[^/]+$'), t.ref, c.relation FROM citations c
                    JOIN documents d USING (doc_id) LEFT JOIN documents t ON t.doc_id = c.cited_doc_id
                    WHERE c.ref = '17/KH-UBND' ORDER BY 1""")
    assert rows == [("cv250-hagiang.txt", "17/KH-UBND", "implements"), ("cv91-caobang.txt", None, "implements")]
    cited = q(db, "SELECT province, doc_id IS NOT NULL, consensus_basis FROM cited_documents WHERE key = '17/KHUBND' ORDER BY 1")
    assert cited == [("Cao Bằng", False, "most mentions"), ("Hà Giang", True, "the document's own header")]


def test_the_linked_documents_own_date_is_the_consensus_against_the_majority(tmp_path):
    """Two Công văn of Hà Giang write 12/3/2023 for its Kế hoạch 17, one writes 10/3/2023, the date on the
    plan's own header; Cao Bằng's own 17/KH-UBND, dated 12/3/2023, is another document and no evidence."""
    folder = tmp_path / "raw"
    folder.mkdir()
    doc(folder, "kh17-hagiang.txt", "Hà Giang", "17/KH-UBND", "10/3/2023",
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch kiểm tra công tác văn thư.", title="KẾ HOẠCH\nKiểm tra công tác văn thư")
    doc(folder, "kh17-caobang.txt", "Cao Bằng", "17/KH-UBND", "12/3/2023",
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch tập huấn.", title="KẾ HOẠCH\nTập huấn nghiệp vụ")
    for n, (date, day) in enumerate([("12/3/2023", "03/4/2023"), ("12/3/2023", "17/4/2023"), ("10/3/2023", "24/4/2023")]):
        doc(folder, f"cv{n}-hagiang.txt", "Hà Giang", f"{301 + n}/UBND-VP", day,
            f"Kính gửi: Các sở, ngành.\n\nTheo Kế hoạch số 17/KH-UBND ngày {date} của Ủy ban nhân dân tỉnh, "
            "đề nghị các cơ quan chuẩn bị hồ sơ kiểm tra.", subject="V/v chuẩn bị kiểm tra công tác văn thư")
    db = tmp_path / "v.duckdb"
    load(folder, db)
    found = sorted((f["file"], f["expected"], f["found"], f["message"].rsplit("; ", 1)[-1])
                   for f in flags_of(db, "citation_date_conflict"))
    assert found == [("cv0-hagiang.txt", "2023-03-10", "2023-03-12", "consensus 10/03/2023 (the cited document's own header)"),
                     ("cv1-hagiang.txt", "2023-03-10", "2023-03-12", "consensus 10/03/2023 (the cited document's own header)")]


@pytest.fixture
def replaced(tmp_path) -> Path:
    """Thông tư 04/2021 replacing 14/2014 (its own text says so), and two plans basing themselves on 14/2014:
    one a year after the replacement, one before it."""
    folder = tmp_path / "raw"
    folder.mkdir()
    ministry_doc(folder, "tt04-2021.txt", "Điều 20. Hiệu lực thi hành\nThông tư này có hiệu lực kể từ ngày 05 tháng 8 "
                                          "năm 2021 và thay thế Thông tư số 14/2014/TT-BTP ngày 15/5/2014.")
    plan_citing(folder, "kh-2022.txt", "120/KH-UBND", "15/9/2022", "Thông tư số 14/2014/TT-BTP ngày 15/5/2014")
    plan_citing(folder, "kh-2020.txt", "98/KH-UBND", "15/9/2020", "Thông tư số 14/2014/TT-BTP ngày 15/5/2014")
    return folder


def test_a_plan_citing_a_thong_tu_replaced_a_year_earlier(replaced, tmp_path):
    db = tmp_path / "v.duckdb"
    load(replaced, db)
    (f,) = flags_of(db, "cites_superseded_document")
    assert (f["file"], f["ref"]) == ("kh-2022.txt", "14/2014/TT-BTP")
    evidence = json.loads(f["evidence"])["replacing"]
    assert (evidence["ref"], evidence["file"], evidence["source"]) == ("04/2021/TT-BTP", "tt04-2021.txt", "archive")
    assert "thay thế Thông tư số 14/2014/TT-BTP" in evidence["sentence"]
    assert q(db, "SELECT validity, changed_by, not_in_force_since FROM cited_documents WHERE key = '14/2014/TTBTP'") == [
        ("replaced", "04/2021/TT-BTP", __import__("datetime").date(2021, 8, 5))]


VANBAN_ENTRIES = """type,ref,issue_date,issuer,title,status,effective_date,expiry_date
Thông tư,22/2030/TT-BTP,2030-03-01,Bộ Tư pháp,quy định về theo dõi thi hành pháp luật,Còn hiệu lực,2030-04-15,
Thông tư,09/2025/TT-BTP,2025-01-10,Bộ Tư pháp,quy định cũ,Hết hiệu lực toàn bộ,2025-02-25,2030-04-15
"""
VANBAN_RELATIONS = "ref,other_ref,relation\n22/2030/TT-BTP,09/2025/TT-BTP,replaces\n"


def _write_dataset(folder: Path) -> tuple[Path, Path]:
    """The same facts in the columns of the public datasets, as Parquet (entries) and CSV (relations)."""
    con = duckdb.connect()
    entries = folder / "metadata.parquet"
    con.execute(f"""COPY (SELECT * FROM (VALUES
        ('101', '22/2030/TT-BTP', '01/03/2030', 'Thông tư', 'Bộ Tư pháp', 'Còn hiệu lực', '15/04/2030', NULL),
        ('102', '09/2025/TT-BTP', '10/01/2025', 'Thông tư', 'Bộ Tư pháp', 'Hết hiệu lực toàn bộ', '25/02/2025', '15/04/2030'))
        AS t(id, so_ky_hieu, ngay_ban_hanh, loai_van_ban, co_quan_ban_hanh, tinh_trang_hieu_luc, ngay_co_hieu_luc,
             ngay_het_hieu_luc)) TO '{entries}' (FORMAT parquet)""")
    con.close()
    relations = folder / "relationships.csv"
    relations.write_text("doc_id,other_doc_id,relationship\n101,102,Văn bản bị thay thế\n", encoding="utf-8")
    return entries, relations


@pytest.mark.parametrize("schema", ["vanban", "dataset"])
def test_an_imported_catalog_is_used_by_the_next_run_without_catalog(schema, tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    plan_citing(folder, "kh-2031.txt", "5/KH-UBND", "10/01/2031", "Thông tư số 09/2025/TT-BTP ngày 12/01/2025")
    if schema == "vanban":
        files = [tmp_path / "entries.csv", tmp_path / "relations.csv"]
        files[0].write_text(VANBAN_ENTRIES, encoding="utf-8")
        files[1].write_text(VANBAN_RELATIONS, encoding="utf-8")
    else:
        files = list(_write_dataset(tmp_path))
    db = tmp_path / "v.duckdb"
    res = run_cli("catalog", "import", *map(str, files), "--db", str(db))   # a new database
    assert res.returncode == 0, res.stderr
    assert "2 entries, 1 relations" in res.stdout
    load(folder, db)   # no --catalog
    (m,) = flags_of(db, "catalog_date_mismatch")
    assert (m["ref"], m["expected"], m["found"]) == ("09/2025/TT-BTP", "2025-01-10", "2025-01-12")
    (s,) = flags_of(db, "cites_superseded_document")
    assert json.loads(s["evidence"])["replacing"]["ref"] == "22/2030/TT-BTP" and s["found"] == "replaced since 2030-04-15"
    assert q(db, "SELECT catalog_status FROM cited_documents WHERE key = '9/2025/TTBTP'") == [("Hết hiệu lực toàn bộ",)]


def test_catalog_export_writes_what_the_archive_implies_and_imports_again(replaced, tmp_path):
    db = tmp_path / "v.duckdb"
    load(replaced, db)
    out, rel = tmp_path / "implied.csv", tmp_path / "implied-relations.csv"
    res = run_cli("catalog", "export", str(out), "--relations", str(rel), "--db", str(db))
    assert res.returncode == 0, res.stderr
    text = out.read_text(encoding="utf-8")
    assert "04/2021/TT-BTP,2021-06-21" in text and "own header: tt04-2021.txt" in text
    assert "14/2014/TT-BTP,2014-05-15" in text   # the consensus of the citations, not in the archive
    assert rel.read_text(encoding="utf-8").splitlines()[1:] == ["04/2021/TT-BTP,14/2014/TT-BTP,replaces"]
    other = tmp_path / "other.duckdb"
    res = run_cli("catalog", "import", str(out), str(rel), "--db", str(other))
    assert res.returncode == 0, res.stderr
    assert q(other, "SELECT relation FROM catalog_relations") == [("replaces",)]


def test_a_bad_catalog_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("ref,issue_date\n59/2012/NĐ-CP,23 July 2012\n", encoding="utf-8")
    res = run_cli("catalog", "import", str(bad), "--db", str(tmp_path / "v.duckdb"))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert res.stderr.strip() == f"error: {bad}: row 2: date '23 July 2012' is neither YYYY-MM-DD nor DD/MM/YYYY"


def test_a_review_survives_a_run_on_a_changed_archive(plans, tmp_path):
    db = tmp_path / "v.duckdb"
    load(plans, db)
    (f,) = flags_of(db, "cited_date_vs_document")
    res = run_cli("review", f["flag_id"][:8], "--as", "false_alarm", "--note", "the plan was re-issued", "--db", str(db))
    assert res.returncode == 0, res.stderr
    doc(plans, "cv300-hagiang.txt", "Hà Giang", "300/UBND-NC", "06/6/2023",
        "Kính gửi: Các sở.\n\nThực hiện Kế hoạch số 17/KH-UBND ngày 11/3/2023 của Ủy ban nhân dân tỉnh.",
        subject="V/v nhắc báo cáo")
    (plans / "cv91-caobang.txt").unlink()
    load(plans, db, "--prune")
    again = {x["file"]: x for x in flags_of(db, "cited_date_vs_document")}
    assert set(again) == {"cv250-hagiang.txt", "cv300-hagiang.txt"}
    assert again["cv250-hagiang.txt"]["flag_id"] == f["flag_id"] and again["cv250-hagiang.txt"]["decision"] == "false_alarm"
    assert again["cv300-hagiang.txt"]["decision"] is None
    res = run_cli("flags", "--db", str(db), "--kind", "cited_date_vs_document", "--hide-false-alarms", "--format", "json")
    assert [x["file"] for x in json.loads(res.stdout)] == ["cv300-hagiang.txt"]
    assert q(db, "SELECT decision, note FROM flag_reviews") == [("false_alarm", "the plan was re-issued")]


def test_review_of_an_unknown_flag_is_one_line(plans, tmp_path):
    db = tmp_path / "v.duckdb"
    load(plans, db)
    res = run_cli("review", "ffffffffffff", "--as", "confirmed", "--db", str(db))
    assert res.returncode == 2 and res.stderr.strip() == "error: ffffffffffff: no such flag (list them with: vanban flags)"


def test_rule_files_rows_appear_in_flags_and_the_folder_is_remembered(plans, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "data" / "rules", rules)
    doc(plans, "cv-nosubject.txt", "Hà Giang", "400/UBND-VP", "07/7/2023", "Kính gửi: Các sở.\n\nĐề nghị các cơ quan báo cáo.")
    db = tmp_path / "v.duckdb"
    load(plans, db, "--rules", str(rules))
    (k,) = flags_of(db, "rule:kehoach_names_what_it_implements")
    assert (k["file"], k["severity"], k["message"]) == ("kh17-hagiang.txt", "warning", "Kế hoạch 17/KH-UBND names no document it implements")
    (c,) = flags_of(db, "rule:congvan_has_subject")
    assert (c["file"], c["severity"]) == ("cv-nosubject.txt", "info")
    (rules / "hagiang_cong_van.sql").write_text(
        "-- severity: error\nSELECT doc_id, 'a Công văn of Hà Giang' AS message FROM documents "
        "WHERE doc_type = 'Công văn' AND province = 'Hà Giang'\n", encoding="utf-8")
    res = run_cli("check", "--db", str(db))   # no --rules: the folder is remembered
    assert res.returncode == 0, res.stderr
    assert {x["file"] for x in flags_of(db, "rule:hagiang_cong_van")} == {"cv250-hagiang.txt", "cv-nosubject.txt"}


def test_a_rule_that_writes_is_refused(plans, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "drop.sql").write_text("DELETE FROM documents", encoding="utf-8")
    res = run_cli("run", str(plans), "--db", str(tmp_path / "v.duckdb"), "--quiet", "--rules", str(rules))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "drop.sql: query refused: DELETE statements are not allowed" in res.stderr


def test_the_web_app_records_a_review_only_with_allow_review(plans, tmp_path):
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from pipeline.web.app import create_app
    db = tmp_path / "v.duckdb"
    load(plans, db)
    (f,) = flags_of(db, "cited_date_vs_document")
    with TestClient(create_app(db)) as client:
        page = client.get("/flags").text
        assert f"/flags/{f['flag_id']}/review" not in page and "--allow-review" in page
        assert client.post(f"/flags/{f['flag_id']}/review", data={"decision": "confirmed"}).status_code == 403
    assert q(db, "SELECT count(*) FROM flag_reviews") == [(0,)]
    with TestClient(create_app(db, allow_review=True)) as client:
        assert f"/flags/{f['flag_id']}/review" in client.get("/flags").text
        res = client.post(f"/flags/{f['flag_id']}/review", data={"decision": "confirmed", "note": "checked the header"},
                          follow_redirects=False)
        assert res.status_code == 303
        assert client.post(f"/flags/{f['flag_id']}/review", data={"decision": "maybe"}).status_code == 400
        assert 'data-decision="confirmed"' in client.get("/flags?kind=cited_date_vs_document").text
    assert q(db, "SELECT flag_id, decision, note FROM flag_reviews") == [(f["flag_id"], "confirmed", "checked the header")]

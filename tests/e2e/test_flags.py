"""Consistency flags: each kind planted in documents written for the tests, found by the real CLI;
consistent documents raise nothing; the shared corpus's known inconsistencies are all flagged."""
import json

import duckdb
import pytest

from conftest import run_cli
from extractors.citations import find_citations
from extractors.citation_roles import role_words
from extractors.relations import find_implements

HEAD = "ỦY BAN NHÂN DÂN\nTỈNH {prov}\nSố: {ref}\n{prov_title}, ngày {day} tháng {month} năm {year}\n{kind}\n"

CONSISTENT = HEAD.format(prov="HÀ NAM", ref="12/KH-UBND", prov_title="Hà Nam", day=10, month=3, year=2024, kind="KẾ HOẠCH") + """
Căn cứ Nghị định số 59/2012/NĐ-CP ngày 23/7/2012 của Chính phủ về theo dõi tình hình thi hành pháp luật;
Căn cứ Quyết định số 242/QĐ-TTg ngày 26/02/2018 của Thủ tướng Chính phủ;
Căn cứ Thông tư số 04/2021/TT-BTP ngày 21/6/2021 của Bộ trưởng Bộ Tư pháp;
Toàn tỉnh có 30 người làm công tác theo dõi thi hành pháp luật, cụ thể:
- Cấp tỉnh: Sở Tư pháp 10 người (chuyên trách: 4, kiêm nhiệm: 6);
- Cấp huyện: 20 người là công chức Phòng Tư pháp.
Năm 2023, tỉnh ban hành 03 văn bản, gồm: 01 chỉ thị, 02 kế hoạch, cụ thể:
1
Chỉ thị số 01/CT-UBND ngày 05/01/2023 về theo dõi thi hành pháp luật
2
Kế hoạch số 03/KH-UBND ngày 10/01/2023 về theo dõi thi hành pháp luật
3
Kế hoạch số 09/KH-UBND ngày 20/02/2023 về kiểm tra
II. TỔ CHỨC THỰC HIỆN
Sở Tư pháp ban hành Kế hoạch số 15/KH-STP ngày 02/3/2024 để triển khai thực hiện Thông tư số 04/2021/TT-BTP ngày 21/6/2021.
"""

PLANTED = HEAD.format(prov="NINH BÌNH", ref="45/BC-UBND", prov_title="Ninh Bình", day=20, month=3, year=2024, kind="BÁO CÁO") + """
Thực hiện Nghị định số 59/2012/NĐ-CP ngày 23/7/2014 của Chính phủ;
Nghị định số 59/2020/NĐ-CP ngày 23/7/2012 của Chính phủ quy định chi tiết;
Thông tư số 10/2024/TT-BTP ngày 15/5/2024 của Bộ Tư pháp hướng dẫn;
Nghị định số 242/QĐ-TTg ngày 26/02/2018 của Thủ tướng Chính phủ;
Công văn số 99/BTP-PLHS ngày 01/5/2023 của Bộ Tư pháp.
UBND tỉnh triển khai Chỉ thị số 20/CT-TTg ngày 10/12/2023 của Thủ tướng Chính phủ bằng việc ban hành Kế hoạch số 05/KH-UBND ngày 05/9/2023.
Hội nghị dự kiến tổ chức ngày 31/02/2024.
Tổng số cán bộ làm công tác theo dõi thi hành pháp luật là 50 người, cụ thể:
- Cấp tỉnh: Sở Tư pháp 10 người (chuyên trách: 3, kiêm nhiệm: 5);
- Cấp huyện: 30 người là công chức Phòng Tư pháp.
Năm 2023, tỉnh ban hành 05 văn bản, gồm: 02 chỉ thị, 03 kế hoạch, cụ thể:
1
Chỉ thị số 02/CT-UBND ngày 05/01/2023 về theo dõi thi hành pháp luật
2
Kế hoạch số 04/KH-UBND ngày 10/01/2023 về theo dõi thi hành pháp luật
3
Kế hoạch số 08/KH-UBND ngày 20/02/2023 về kiểm tra
4
Quyết định số 11/QĐ-UBND ngày 01/3/2023 về quy chế phối hợp
II. TỔ CHỨC THỰC HIỆN
"""


@pytest.fixture(scope="module")
def flagged(tmp_path_factory):
    root = tmp_path_factory.mktemp("flags")
    arch = root / "arch"
    arch.mkdir()
    (arch / "hanam_kh12.txt").write_text(CONSISTENT, encoding="utf-8")
    (arch / "ninhbinh_bc45.txt").write_text(PLANTED, encoding="utf-8")
    db = root / "f.duckdb"
    res = run_cli("run", str(arch), "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "cảnh báo:" in res.stdout
    # the one impossible date of 2 documents is 500 per 1.000 (Vietnamese notation)
    rate = next(ln for ln in res.stdout.splitlines() if "impossible_date" in ln and "│" in ln)
    assert "500,0" in [cell.strip() for cell in rate.split("│")]
    return db


def _flags(db, **where):
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("""SELECT f.kind, f.ref, f.expected, f.found, f.message, f.evidence,
                                     regexp_extract(d.source_path, '[^/]+$') AS file
                              FROM flags f JOIN documents d USING (doc_id)""").fetchall()
    finally:
        con.close()
    return [r for r in rows if all(dict(zip(["kind", "ref"], r[:2])).get(k) == v for k, v in where.items())]


def test_consistent_document_raises_nothing(flagged):
    assert [r for r in _flags(flagged) if r[6] == "hanam_kh12.txt"] == []


@pytest.mark.parametrize("kind,ref,expected,found", [
    ("citation_date_conflict", "59/2012/NĐ-CP", "2012-07-23", "2014-07-23"),
    ("catalog_date_mismatch", "59/2012/NĐ-CP", "2012-07-23", "2014-07-23"),
    ("number_year_mismatch", "59/2012/NĐ-CP", "2012", "2014"),
    ("number_year_mismatch", "59/2020/NĐ-CP", "2020", "2012"),
    ("cited_after_citing", "10/2024/TT-BTP", "on or before 2024-03-20", "2024-05-15"),
    ("type_symbol_mismatch", "242/QĐ-TTg", "Quyết định", "Nghị định"),
    ("implemented_before_issued", "05/KH-UBND", "on or after 2023-12-10", "2023-09-05"),
])
def test_planted_flag_is_found(flagged, kind, ref, expected, found):
    got = _flags(flagged, kind=kind, ref=ref)
    assert len(got) == 1, _flags(flagged)
    _, _, exp, fnd, message, evidence, file = got[0]
    assert (exp, fnd, file) == (expected, found, "ninhbinh_bc45.txt")
    ev = json.loads(evidence)
    assert ev["file"] == "ninhbinh_bc45.txt" and ref.split("/")[0] in ev["sentence"]


def test_conflict_reports_support_and_documents(flagged):
    ev = json.loads(_flags(flagged, kind="citation_date_conflict")[0][5])
    assert ev["dates"] == {"23/07/2012": 1, "23/07/2014": 1} and ev["consensus"] == "23/07/2012"
    assert ev["basis"] in ("most mentions", "the reference catalog")
    assert "hanam_kh12.txt" in ev["documents_with_other_dates"]


def test_impossible_date_and_totals(flagged):
    (bad,) = _flags(flagged, kind="impossible_date")
    assert bad[3] == "ngày 31/02/2024"
    totals = {r[4].split(" stated")[0]: (r[2], r[3]) for r in _flags(flagged, kind="total_mismatch")}
    assert totals["50 người"] == ("50", "40")              # 10 + 30
    assert totals["10 người"] == ("10", "8")               # chuyên trách 3 + kiêm nhiệm 5
    listed = next(v for k, v in totals.items() if k.startswith("05 văn bản"))
    assert json.loads(listed[0]) == {"Chỉ thị": 2, "Kế hoạch": 3}
    assert json.loads(listed[1]) == {"Chỉ thị": 1, "Kế hoạch": 2, "Quyết định": 1}


def test_user_catalog_adds_reference_dates(flagged, tmp_path):
    assert _flags(flagged, kind="catalog_date_mismatch", ref="99/BTP-PLHS") == []
    cat = tmp_path / "my_catalog.csv"
    cat.write_text("type,ref,issue_date,issuer,title\nCông văn,99/BTP-PLHS,2023-04-01,Bộ Tư pháp,hướng dẫn\n", encoding="utf-8")
    res = run_cli("check", "--db", str(flagged), "--catalog", str(cat))
    assert res.returncode == 0, res.stderr
    res = run_cli("flags", "--db", str(flagged), "--kind", "catalog_date_mismatch", "--format", "json")
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)   # --format json: one array
    assert {r["ref"] for r in rows} == {"59/2012/NĐ-CP", "99/BTP-PLHS"}
    bad = tmp_path / "bad.csv"
    bad.write_text("ref,issue_date\n1/2020/NĐ-CP,23-07-2020\n", encoding="utf-8")
    res = run_cli("check", "--db", str(flagged), "--catalog", str(bad))
    assert res.returncode == 2 and "not YYYY-MM-DD" in res.stderr and "Traceback" not in res.stderr


def test_compare_and_query_commands(flagged, tmp_path):
    res = run_cli("compare", "--db", str(flagged), "--by", "province_2025", "--metric", "flags", "--format", "csv")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].startswith("province_2025,") and any(ln.startswith("Ninh Bình,") for ln in lines[1:])
    res = run_cli("compare", "--db", str(flagged), "--metric", "staffing", "--format", "json")
    rows = {r["province"]: r for r in json.loads(res.stdout)}
    assert rows["Hà Nam"]["people"] == 30 and rows["Hà Nam"]["part_time"] == 6
    res = run_cli("query", "SELECT count(*) AS n FROM documents", "--db", str(flagged), "--format", "csv")
    assert res.stdout.split() == ["n", "2"]
    res = run_cli("export", "--to", str(tmp_path / "pq"), "--db", str(flagged))
    assert res.returncode == 0, res.stderr
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*) FROM '{tmp_path / 'pq' / 'flags.parquet'}'").fetchone()[0] == len(_flags(flagged))


@pytest.mark.parametrize("example", role_words()["link_examples"])
def test_relation_examples(example):
    cites = find_citations(example["text"])
    links = find_implements(example["text"], cites)
    assert [(cites[k.implementer].ref, cites[k.implemented].ref) for k in links] == [
        (example["implementer"], example["implemented"])]


# --- the shared corpus -------------------------------------------------------------------------

CORPUS_EXPECTED = [
    # (kind, file prefix, ref, found) for every inconsistency the gold notes / internal_checks describe
    ("citation_date_conflict", "an-giang", "59/2012/NĐ-CP", "2014-07-23"),
    ("catalog_date_mismatch", "an-giang", "59/2012/NĐ-CP", "2014-07-23"),
    ("citation_date_conflict", "an-giang", "32/2020/NĐ-CP", "2020-03-09"),
    ("catalog_date_mismatch", "an-giang", "32/2020/NĐ-CP", "2020-03-09"),
    ("number_year_mismatch", "an-giang", "59/2020/NĐ-CP", "2012"),
    ("catalog_date_mismatch", "an-giang", "43/CT-TTg", "2022-12-11"),
    ("implemented_before_issued", "an-giang", "08/CT-UBND", "2022-09-08"),
    ("citation_date_conflict", "018_cantho", "27/CTTg", "2024-07-15"),
    ("impossible_date", "008_laocai", None, "5 tháng 54 năm 2026"),
]


def test_corpus_inconsistencies_are_flagged(corpus_db):
    con = duckdb.connect(str(corpus_db), read_only=True)
    rows = con.execute("""SELECT f.kind, regexp_extract(d.source_path, '[^/]+$'), f.ref, f.found, f.message
                          FROM flags f JOIN documents d USING (doc_id)""").fetchall()
    for kind, prefix, ref, found in CORPUS_EXPECTED:
        assert any(k == kind and f.startswith(prefix) and r == ref and fo == found for k, f, r, fo, _ in rows), (kind, prefix, ref)
    listed = [m for k, f, _, _, m in rows if k == "total_mismatch" and f.startswith("an-giang")]
    assert len(listed) == 1 and "4 Kế hoạch" in listed[0] and "1 Quyết định" in listed[0]


def test_corpus_citations_that_agree_raise_nothing(corpus_db):
    """No flag on a mention whose date agrees with the catalog and with the other mentions."""
    con = duckdb.connect(str(corpus_db), read_only=True)
    wrong = con.execute("""
        SELECT f.kind, f.ref, f.found FROM flags f JOIN catalog k ON k.ref = f.ref
        WHERE f.kind IN ('citation_date_conflict', 'catalog_date_mismatch') AND f.found = CAST(k.issue_date AS VARCHAR)""").fetchall()
    assert wrong == []
    # every flag is one the gold notes describe (or the number-year slip of the same mention, and the listed
    # documents' total): a new one on a consistent document names itself here instead of changing a count
    rows = con.execute("""SELECT f.kind, regexp_extract(d.source_path, '[^/]+$'), f.ref, f.found
                          FROM flags f JOIN documents d USING (doc_id) WHERE f.kind <> 'total_mismatch'""").fetchall()
    expected = CORPUS_EXPECTED + [("number_year_mismatch", "an-giang", "59/2012/NĐ-CP", "2014")]
    extra = [r for r in rows if not any(r[0] == k and r[1].startswith(p) and (r[2], r[3]) == (ref, fo)
                                         for k, p, ref, fo in expected)]
    assert extra == [] and len(rows) == len(expected)
    totals = con.execute("""SELECT regexp_extract(d.source_path, '[^/]+$') FROM flags f JOIN documents d USING (doc_id)
                            WHERE f.kind = 'total_mismatch'""").fetchall()
    assert [f.split("_")[0] for (f,) in totals] == ["an-giang"]


def test_include_articles_applies_the_own_date_checks_to_articles(tmp_path):
    """A portal article with a place-date line but no header cites a circular dated after it: no flag by default,
    one with --include-articles (on vanban check, and on vanban run)."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "tin_bai.txt").write_text(
        "Tin bài\nHà Nội, ngày 05 tháng 3 năm 2024\nBộ Tài chính hướng dẫn về hóa đơn\n"
        "Theo Thông tư số 32/2025/TT-BTC ngày 31/5/2025 của Bộ Tài chính, người bán phải lập hóa đơn điện tử.\n",
        encoding="utf-8")
    db = tmp_path / "a.duckdb"
    assert run_cli("run", str(tmp_path / "docs"), "--db", str(db), "--quiet").returncode == 0
    assert _flags(db, kind="cited_after_citing") == []
    res = run_cli("check", "--db", str(db), "--include-articles")
    assert res.returncode == 0, res.stderr
    assert [(r[1], r[3]) for r in _flags(db, kind="cited_after_citing")] == [("32/2025/TT-BTC", "2025-05-31")]
    db2 = tmp_path / "b.duckdb"
    assert run_cli("run", str(tmp_path / "docs"), "--db", str(db2), "--quiet", "--include-articles").returncode == 0
    assert len(_flags(db2, kind="cited_after_citing")) == 1

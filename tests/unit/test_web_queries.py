"""The web app's queries over its prepared tables (report.WEB_TABLES), on a database made in memory."""
import duckdb
import pytest

import pipeline.store as store
from pipeline import report
from pipeline.store.tables import search_key

DOCS = [  # doc_id, file, province, text
    ("d1", "b.txt", "Cà Mau", "Về việc THI HÀNH pháp luật về xử lý vi phạm hành chính"),
    ("d2", "Ấp.txt", "Đồng Nai", "Kế hoạch tuyên truyền; Đảng ủy xã chỉ đạo thực hiện"),
    ("d3", "a.txt", "Cà Mau", "Báo cáo kết quả thi hành án dân sự"),
    ("d4", "c.txt", None, None),
]


@pytest.fixture()
def con(monkeypatch):
    c = duckdb.connect()
    # a database made before 0016: its documents get search_text from the migration
    monkeypatch.setattr(store, "MIGRATIONS", [m for m in store.MIGRATIONS if m[0] != "0016_search_text"])
    store.migrate(c)
    for doc_id, file, province, text in DOCS:
        c.execute("INSERT INTO documents (doc_id, source_path, status, province, text) VALUES (?, ?, 'ok', ?, ?)",
                  [doc_id, f"/archive/{file}", province, text])
    monkeypatch.undo()
    store.migrate(c)
    c.execute("INSERT INTO flags (flag_id, kind, severity, doc_id, message) VALUES ('f1', 'k', 'error', 'd3', 'm')")
    c.execute(report.WEB_TABLES)
    yield c
    c.close()


def test_the_migration_folds_the_stored_texts(con):
    assert dict(con.execute("SELECT doc_id, search_text FROM documents").fetchall()) == {
        "d1": "ve viec thi hanh phap luat ve xu ly vi pham hanh chinh",
        "d2": "ke hoach tuyen truyen; dang uy xa chi dao thuc hien",
        "d3": "bao cao ket qua thi hanh an dan su", "d4": None}


@pytest.mark.parametrize("q, found", [
    ("thi hanh phap luat", ["d1"]),        # every word, in any order, case and accents ignored
    ("PHAP thi", ["d1"]),
    ("thi hành", ["d3", "d1"]),           # the query's accents fold too (files a.txt, b.txt in order)
    ("dang uy", ["d2"]),                   # Đ matches D
    ("khong co", []),
    ("   ", None),                         # no word: no search
])
def test_search_finds_every_word_folded(con, q, found):
    matches = report.matching(con, q)
    rows, total = report.search_documents(con, matches)
    if found is None:
        assert matches is None and total == len(DOCS)
    else:
        assert [r["doc_id"] for r in rows] == found and total == len(found)


def test_facets_count_what_the_search_and_filters_keep(con):
    facets = report.document_facets(con, report.matching(con, "thi hanh"), {})
    assert facets["province"] == [("Cà Mau", 2)]
    assert dict(facets["has_flags"]) == {"yes": 1, "no": 1}
    facets = report.document_facets(con, None, {"has_flags": "no"})
    assert sum(n for _, n in facets["province"]) == 3


def test_sorting_follows_vietnamese_order_and_pages(con):
    rows, total = report.search_documents(con, sort="file")
    assert [r["file"] for r in rows] == ["a.txt", "Ấp.txt", "b.txt", "c.txt"] and total == 4   # not code-point order
    rows, _ = report.search_documents(con, sort="province", desc=True)
    assert [r["province"] for r in rows] == ["Đồng Nai", "Cà Mau", "Cà Mau", None]            # no province last
    rows, total = report.search_documents(con, sort="file", limit=2, offset=2)
    assert [r["file"] for r in rows] == ["b.txt", "c.txt"] and total == 4
    rows, total = report.search_documents(con, limit=2, offset=10)
    assert rows == [] and total == 4


def test_search_key_and_fold_chars_agree_on_vietnamese_text():
    """The search (search_key) and the snippet's highlight (fold_chars) fold Vietnamese letters alike."""
    text = "Ủy ban nhân dân tỉnh Đắk Lắk, Thừa Thiên Huế: ưu tiên ỨNG PHÓ ĐỢT rét"
    assert search_key(text) == report.fold_chars(text)
    assert len(report.fold_chars(text)) == len(text)

"""The rows a worker packs as Arrow tables: the store's column types, integers that fit, one schema."""
import datetime as dt

import pytest

from pipeline.store import ROW_TABLES, connect, load_batch
from pipeline.store.packing import column_types, pack, schema
from pipeline.store.tables import BY_NAME


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = connect(tmp_path_factory.mktemp("pack") / "v.duckdb")
    yield c
    c.close()


@pytest.mark.parametrize("table", sorted(ROW_TABLES))
def test_spec_types_are_the_database_column_types(con, table):
    """The types a worker packs with are those the migrations made (a migration that changes a column's
    type must change its spec too)."""
    stored = {c: t for c, t in con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ?", [table]).fetchall()}
    assert column_types(BY_NAME[table]) == {c: stored[c] for c in ROW_TABLES[table]}
    assert schema(table).names == ROW_TABLES[table]


def _budget_row(seq: int, amount: int) -> dict:
    return {"doc_id": "d1", "seq": seq, "id": seq, "amount_min_vnd": amount, "amount_max_vnd": amount, "in_table": False,
            "char_start": 0, "char_end": 5, "surface": "x đồng", "page": 1}


def test_a_number_too_large_for_its_column_is_null_and_the_document_says_which():
    doc, rows = pack({"doc_id": "d1", "error": None}, {"budget": [_budget_row(0, 10**22), _budget_row(1, 5_000_000)],
                                                      "counts": []})
    assert doc["error"] == "values out of range stored as null: budget.amount_min_vnd 1e+22, budget.amount_max_vnd 1e+22"
    assert rows["budget"].column("amount_min_vnd").to_pylist() == [None, 5_000_000]
    assert rows["counts"] == []


def test_rows_packed_by_a_worker_or_given_as_dicts_load_the_same(con):
    def doc(i):
        return {"doc_id": f"p{i}", "source_path": f"/a/p{i}.txt", "format": "txt", "status": "ok"}

    date_row = {"doc_id": "p1", "seq": 0, "day": 3, "month": 2, "year": 2021, "value": dt.date(2021, 2, 3),
                "char_start": 4, "char_end": 12, "surface": "3/2/2021", "page": 1}
    packed = pack(doc(1), {"dates": [dict(date_row)]})
    load_batch(con, [packed, (doc(2), {"dates": [{**date_row, "doc_id": "p2"}]})])
    got = con.execute("SELECT doc_id, seq, day, month, year, value, char_start, char_end, surface, page FROM dates "
                      "WHERE doc_id IN ('p1', 'p2') ORDER BY doc_id").fetchall()
    assert got == [(d, 0, 3, 2, 2021, dt.date(2021, 2, 3), 4, 12, "3/2/2021", 1) for d in ("p1", "p2")]

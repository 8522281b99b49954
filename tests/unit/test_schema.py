"""The database a migration makes has each table as its spec declares it (pipeline/store/tables.py), and a
database made by an older vanban is brought to the same shape."""
import duckdb
import pytest

from pipeline.store import migrate
from pipeline.store.tables import ARCHIVE_TABLES, CATALOG, FLAGS, TABLES


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                      "ORDER BY ordinal_position", [table]).fetchall()]


@pytest.fixture
def con():
    c = duckdb.connect()
    migrate(c)
    yield c
    c.close()


def test_every_table_has_the_columns_of_its_spec(con):
    for spec in TABLES:
        assert sorted(_columns(con, spec.name)) == sorted(spec.all_columns), spec.name   # ALTERs append
    for table in (*ARCHIVE_TABLES, FLAGS, CATALOG):
        assert sorted(_columns(con, table.name)) == sorted(table.columns), table.name


def test_an_older_database_loses_the_copy_of_ref_key(con):
    con.execute("ALTER TABLE citations ADD COLUMN cited_key VARCHAR")   # what migration 0013 added before
    con.execute("DELETE FROM schema_migrations WHERE name = '0017_drop_cited_key'")
    migrate(con)
    assert "cited_key" not in _columns(con, "citations")
    assert con.execute("SELECT count(*) FROM cited_documents").fetchone() == (0,)

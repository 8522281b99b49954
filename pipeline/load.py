"""Stage 4: load documents into DuckDB, one transaction per document.

A document's id is the sha256 of its bytes.  Loading the same bytes again changes nothing;
a file whose bytes changed replaces the rows it had under its old id.  Schema changes are
named migrations recorded in ``schema_migrations``.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

PIPELINE_VERSION = "3"  # bump when extraction changes, so re-runs recompute old rows

MIGRATIONS: list[tuple[str, str]] = [
    ("0001_documents_citations", """
    CREATE TABLE IF NOT EXISTS documents (
        doc_id VARCHAR PRIMARY KEY,
        source_path VARCHAR NOT NULL,
        format VARCHAR,
        status VARCHAR NOT NULL,
        error VARCHAR,
        province VARCHAR,
        province_source VARCHAR,
        doc_type VARCHAR,
        ref VARCHAR,
        issue_date DATE,
        issue_date_not_before DATE,
        issuer VARCHAR,
        signer VARCHAR,
        signer_title VARCHAR,
        subject VARCHAR,
        recipients VARCHAR[],
        n_pages INTEGER,
        n_chars INTEGER,
        text VARCHAR,
        pipeline_version VARCHAR,
        loaded_at TIMESTAMP
    );
    CREATE TABLE IF NOT EXISTS citations (
        doc_id VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        doc_type VARCHAR,
        ref VARCHAR,
        number VARCHAR,
        year INTEGER,
        symbol VARCHAR,
        issuer VARCHAR,
        name VARCHAR,
        cited_date DATE,
        article VARCHAR,
        clause VARCHAR,
        point VARCHAR,
        section VARCHAR,
        pinpoints VARCHAR[],
        nested BOOLEAN,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        page INTEGER,
        surface VARCHAR NOT NULL,
        raw_start INTEGER,
        raw_end INTEGER,
        PRIMARY KEY (doc_id, seq)
    );
    """),
    ("0002_figures", """
    CREATE TABLE IF NOT EXISTS counts (
        doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL,
        value BIGINT NOT NULL, unit VARCHAR, head VARCHAR,
        char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, page INTEGER, surface VARCHAR NOT NULL,
        raw_start INTEGER, raw_end INTEGER,
        PRIMARY KEY (doc_id, seq)
    );
    CREATE TABLE IF NOT EXISTS staffing (
        doc_id VARCHAR NOT NULL, id INTEGER NOT NULL,
        count INTEGER NOT NULL, unit VARCHAR, level VARCHAR, category VARCHAR,
        full_time INTEGER, part_time INTEGER, parent_id INTEGER,
        char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, page INTEGER, surface VARCHAR NOT NULL,
        raw_start INTEGER, raw_end INTEGER,
        PRIMARY KEY (doc_id, id)
    );
    CREATE TABLE IF NOT EXISTS budget (
        doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL,
        amount_min_vnd HUGEINT NOT NULL, amount_max_vnd HUGEINT NOT NULL, per VARCHAR, approx VARCHAR,
        purpose VARCHAR, unit VARCHAR, level VARCHAR,
        in_table BOOLEAN NOT NULL, table_caption VARCHAR, table_row VARCHAR, table_column VARCHAR,
        char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, page INTEGER, surface VARCHAR NOT NULL,
        raw_start INTEGER, raw_end INTEGER,
        PRIMARY KEY (doc_id, seq)
    );
    CREATE TABLE IF NOT EXISTS deadlines (
        doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL,
        due_date DATE, recurring VARCHAR, precision VARCHAR, what VARCHAR, who VARCHAR,
        char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, page INTEGER, surface VARCHAR NOT NULL,
        raw_start INTEGER, raw_end INTEGER,
        PRIMARY KEY (doc_id, seq)
    );
    """),
]

WHERE_COLUMNS = ["char_start", "char_end", "page", "surface", "raw_start", "raw_end"]
CITATION_COLUMNS = ["doc_id", "seq", "doc_type", "ref", "number", "year", "symbol", "issuer", "name", "cited_date",
                    "article", "clause", "point", "section", "pinpoints", "nested", "char_start", "char_end", "page",
                    "surface", "raw_start", "raw_end"]
# every table that holds rows of one document, with its columns in insert order
ROW_TABLES: dict[str, list[str]] = {
    "citations": CITATION_COLUMNS,
    "counts": ["doc_id", "seq", "value", "unit", "head", *WHERE_COLUMNS],
    "staffing": ["doc_id", "id", "count", "unit", "level", "category", "full_time", "part_time", "parent_id",
                 *WHERE_COLUMNS],
    "budget": ["doc_id", "seq", "amount_min_vnd", "amount_max_vnd", "per", "approx", "purpose", "unit", "level",
               "in_table", "table_caption", "table_row", "table_column", *WHERE_COLUMNS],
    "deadlines": ["doc_id", "seq", "due_date", "recurring", "precision", "what", "who", *WHERE_COLUMNS],
}
DOCUMENT_COLUMNS = ["doc_id", "source_path", "format", "status", "error", "province", "province_source", "doc_type",
                    "ref", "issue_date", "issue_date_not_before", "issuer", "signer", "signer_title", "subject",
                    "recipients", "n_pages", "n_chars", "text", "pipeline_version", "loaded_at"]


class StoreError(Exception):
    """The database cannot be opened or written (in use, not a DuckDB file, no permission)."""


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(db_path))
    except duckdb.IOException as e:
        first = str(e).splitlines()[0]
        if "lock" in first.lower():
            raise StoreError(f"{db_path}: database is in use by another process") from None
        raise StoreError(f"{db_path}: cannot open database ({first})") from None
    except duckdb.Error as e:
        raise StoreError(f"{db_path}: cannot open database ({str(e).splitlines()[0]})") from None
    migrate(con)
    return con


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    done = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        con.execute("BEGIN")
        con.execute(sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [name, dt.datetime.now()])
        con.execute("COMMIT")


def is_loaded(con: duckdb.DuckDBPyConnection, doc_id: str) -> bool:
    row = con.execute("SELECT pipeline_version FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
    return bool(row) and row[0] == PIPELINE_VERSION


def load_document(con: duckdb.DuckDBPyConnection, doc: dict, rows: dict[str, list[dict]]) -> None:
    """Replace everything known about this document (and this path) in one transaction.

    ``rows`` maps a table of :data:`ROW_TABLES` to the document's rows in it.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        stale = [r[0] for r in con.execute(
            "SELECT doc_id FROM documents WHERE doc_id = ? OR (source_path = ? AND doc_id <> ?)",
            [doc["doc_id"], doc["source_path"], doc["doc_id"]]).fetchall()]
        for old in stale:
            for table in ROW_TABLES:
                con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [old])
            con.execute("DELETE FROM documents WHERE doc_id = ?", [old])
        row = {c: doc.get(c) for c in DOCUMENT_COLUMNS}
        row["pipeline_version"] = PIPELINE_VERSION
        row["loaded_at"] = dt.datetime.now()
        con.execute(f"INSERT INTO documents ({', '.join(DOCUMENT_COLUMNS)}) VALUES ({', '.join('?' * len(DOCUMENT_COLUMNS))})",
                    [row[c] for c in DOCUMENT_COLUMNS])
        for table, records in rows.items():
            if not records:
                continue
            columns = ROW_TABLES[table]
            frame = pd.DataFrame(records, columns=columns)
            con.register("_rows", frame)
            con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM _rows")
            con.unregister("_rows")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise

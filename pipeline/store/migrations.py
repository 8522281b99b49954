"""The named migrations, in the order they are applied; each is applied once, in one transaction,
and recorded by name in ``schema_migrations`` (see :func:`pipeline.store.migrate`).

Never edit or reorder an applied migration: a database made by an older vanban has run the first
ones.  A change of schema is a new migration at the end, SQL text or a function of the connection
(when rows must be computed in Python).  A new table's ``CREATE TABLE`` is :meth:`TableSpec.ddl`.
"""
from __future__ import annotations

from typing import Callable

import duckdb

from .tables import DOCUMENT_PATHS, FILE_STATS, FLAGS, STATEMENTS, search_key
from .views import CITATION_NETWORK, VIEWS_SQL
from .graph import DROP_CITED_KEY, FLAG_REVIEWS, GRAPH


def add_citation_ref_key(con: duckdb.DuckDBPyConnection) -> None:
    """``citations.ref_key`` for the rows already stored, and ``citation_network`` grouping by it."""
    import pyarrow as pa

    from extractors.citations import ref_key

    con.execute("ALTER TABLE citations ADD COLUMN ref_key VARCHAR")
    refs = [r[0] for r in con.execute("SELECT DISTINCT ref FROM citations WHERE ref IS NOT NULL").fetchall()]
    if refs:
        con.register("_keys", pa.Table.from_pydict({"ref": refs, "ref_key": [ref_key(r) for r in refs]}))
        try:
            con.execute("UPDATE citations SET ref_key = k.ref_key FROM _keys k WHERE citations.ref = k.ref")
        finally:
            con.unregister("_keys")
    con.execute(CITATION_NETWORK)


def add_search_text(con: duckdb.DuckDBPyConnection) -> None:
    """``documents.search_text`` for the documents already stored, folded by :func:`search_key` (DuckDB's
    strip_accents is ~20 times slower) called from SQL, in slices short enough to show no progress bar."""
    con.create_function("vanban_search_key", search_key, ["VARCHAR"], "VARCHAR", side_effects=False)
    try:
        con.execute("ALTER TABLE documents ADD COLUMN search_text VARCHAR")
        last = con.execute("SELECT max(rowid) FROM documents").fetchone()[0]
        for at in range(0, (last or 0) + 1, 500):
            con.execute("UPDATE documents SET search_text = vanban_search_key(text) WHERE rowid >= ? AND rowid < ?",
                        [at, at + 500])
    finally:
        con.remove_function("vanban_search_key")


MIGRATIONS: list[tuple[str, str | Callable[[duckdb.DuckDBPyConnection], None]]] = [
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
    ("0003_checks", """
    ALTER TABLE citations ADD COLUMN written_type VARCHAR;
    ALTER TABLE citations ADD COLUMN code_type VARCHAR;
    ALTER TABLE counts ADD COLUMN parent_id INTEGER;
    CREATE TABLE IF NOT EXISTS dates (
        doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL,
        day INTEGER, month INTEGER, year INTEGER, value DATE,
        char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, page INTEGER, surface VARCHAR NOT NULL,
        raw_start INTEGER, raw_end INTEGER,
        PRIMARY KEY (doc_id, seq)
    );
    CREATE TABLE IF NOT EXISTS citation_links (
        doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL,
        relation VARCHAR NOT NULL, from_seq INTEGER NOT NULL, to_seq INTEGER NOT NULL,
        char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, page INTEGER, surface VARCHAR NOT NULL,
        raw_start INTEGER, raw_end INTEGER,
        PRIMARY KEY (doc_id, seq)
    );
    CREATE TABLE IF NOT EXISTS count_items (
        doc_id VARCHAR NOT NULL, count_seq INTEGER NOT NULL, citation_seq INTEGER NOT NULL,
        PRIMARY KEY (doc_id, count_seq, citation_seq)
    );
    CREATE TABLE IF NOT EXISTS flags (
        flag_id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, severity VARCHAR NOT NULL,
        doc_id VARCHAR, ref VARCHAR, message VARCHAR NOT NULL, evidence VARCHAR,
        expected VARCHAR, found VARCHAR, char_start INTEGER, char_end INTEGER
    );
    CREATE TABLE IF NOT EXISTS catalog (
        ref VARCHAR, ref_key VARCHAR PRIMARY KEY, type VARCHAR, issue_date DATE, issuer VARCHAR, title VARCHAR,
        source VARCHAR
    );
    CREATE TABLE IF NOT EXISTS provinces (
        province VARCHAR PRIMARY KEY, kind VARCHAR, province_2025 VARCHAR, merged BOOLEAN
    );
    CREATE TABLE IF NOT EXISTS issuers (issuer VARCHAR PRIMARY KEY, local BOOLEAN);
    """),
    ("0004_comparison_views", """
    CREATE OR REPLACE VIEW document_provinces AS
    SELECT d.doc_id, d.province, coalesce(p.province_2025, d.province) AS province_2025,
           year(coalesce(d.issue_date, d.issue_date_not_before)) AS year
    FROM documents d LEFT JOIN provinces p ON p.province = d.province
    WHERE d.status = 'ok';

    CREATE OR REPLACE VIEW province_summary AS
    WITH c AS (SELECT doc_id, count(*) AS n FROM citations GROUP BY 1),
         f AS (SELECT doc_id, count(*) AS n FROM flags GROUP BY 1)
    SELECT dp.province, dp.province_2025, dp.year, count(*) AS documents,
           coalesce(sum(c.n), 0) AS citations, coalesce(sum(f.n), 0) AS flags
    FROM document_provinces dp LEFT JOIN c USING (doc_id) LEFT JOIN f USING (doc_id)
    GROUP BY ALL;

    CREATE OR REPLACE VIEW province_staffing AS
    SELECT dp.province, dp.province_2025, dp.year, coalesce(s.level, 'không rõ cấp') AS level,
           count(DISTINCT s.doc_id) AS documents, sum(s.count) AS people,
           sum(coalesce(s.full_time, CASE WHEN s.category = 'chuyên trách' THEN s.count END)) AS full_time,
           sum(coalesce(s.part_time, CASE WHEN s.category = 'kiêm nhiệm' THEN s.count END)) AS part_time
    FROM staffing s JOIN document_provinces dp USING (doc_id)
    WHERE NOT EXISTS (SELECT 1 FROM staffing c WHERE c.doc_id = s.doc_id AND c.parent_id = s.id)
    GROUP BY ALL;

    CREATE OR REPLACE VIEW province_budget AS
    SELECT dp.province, dp.province_2025, dp.year, coalesce(b.level, 'không rõ cấp') AS level,
           count(*) FILTER (WHERE NOT b.in_table) AS amounts_in_text,
           sum(b.amount_min_vnd) FILTER (WHERE NOT b.in_table) AS text_min_vnd,
           sum(b.amount_max_vnd) FILTER (WHERE NOT b.in_table) AS text_max_vnd,
           sum(b.amount_max_vnd) FILTER (WHERE NOT b.in_table AND b.per LIKE 'năm%') AS per_year_max_vnd,
           count(*) FILTER (WHERE b.in_table) AS table_cells,
           max(b.amount_max_vnd) FILTER (WHERE b.in_table) AS largest_table_amount_vnd
    FROM budget b JOIN document_provinces dp USING (doc_id)
    GROUP BY ALL;
    -- citation_network: made by 0012 from views.CITATION_NETWORK (the số hiệu key is citations.ref_key)
    """),
    ("0005_state", """
    CREATE TABLE IF NOT EXISTS state (key VARCHAR PRIMARY KEY, value VARCHAR);
    INSERT INTO state VALUES ('flags_stale', 'true') ON CONFLICT DO NOTHING;
    """),
    ("0006_text_source", """
    ALTER TABLE documents ADD COLUMN text_source VARCHAR;
    ALTER TABLE documents ADD COLUMN ocr_pages INTEGER[];
    ALTER TABLE citations ADD COLUMN from_ocr BOOLEAN;
    ALTER TABLE counts ADD COLUMN from_ocr BOOLEAN;
    ALTER TABLE staffing ADD COLUMN from_ocr BOOLEAN;
    ALTER TABLE budget ADD COLUMN from_ocr BOOLEAN;
    ALTER TABLE deadlines ADD COLUMN from_ocr BOOLEAN;
    ALTER TABLE dates ADD COLUMN from_ocr BOOLEAN;
    ALTER TABLE citation_links ADD COLUMN from_ocr BOOLEAN;
    """),
    # issue 12: what an amount is, totals apart from parts, kinds of head counts (README: budget, staffing)
    ("0007_figure_kinds", """
    ALTER TABLE budget ADD COLUMN id INTEGER;
    ALTER TABLE budget ADD COLUMN kind VARCHAR;
    ALTER TABLE budget ADD COLUMN role VARCHAR;
    ALTER TABLE budget ADD COLUMN parent_id INTEGER;
    ALTER TABLE staffing ADD COLUMN kind VARCHAR;
    """),
    ("0008_flag_findings", f"""
    ALTER TABLE documents ADD COLUMN issue_date_source VARCHAR;
    ALTER TABLE documents ADD COLUMN official BOOLEAN;
    {FLAGS.add_columns("evidence_strength", "evidence_basis", "spans")}
    """),
    # identical bytes found under several paths are loaded once; every path is kept here
    ("0009_document_paths", DOCUMENT_PATHS.ddl() + """
    INSERT INTO document_paths SELECT doc_id, 0, source_path FROM documents;
    """),
    ("0010_out_of_range_as_null", """
    ALTER TABLE budget ALTER COLUMN amount_min_vnd DROP NOT NULL;
    ALTER TABLE budget ALTER COLUMN amount_max_vnd DROP NOT NULL;
    ALTER TABLE counts ALTER COLUMN value DROP NOT NULL;
    ALTER TABLE staffing ALTER COLUMN count DROP NOT NULL;
    """),
    # issue 12: comparisons that add one kind, leaves or totals, and staffing as the latest stock
    ("0011_comparisons_by_kind", VIEWS_SQL),
    # the số hiệu key computed once, by extractors.citations.ref_key, and stored (issue 10)
    ("0012_citation_ref_key", add_citation_ref_key),
    # issue 15: citations linked to the documents of the archive, relations, validity, an imported catalog
    ("0013_citation_graph", GRAPH),
    # issue 15: decisions on flags, never deleted by a recomputation
    ("0014_flag_reviews", FLAG_REVIEWS),
    # a 'so cùng kỳ (…)' amount (role baseline) is the year before's figure: the views leave it out
    ("0015_budget_baseline", VIEWS_SQL),
    # issue 16: the accent-free search reads a folded copy of the text stored at load, not folded per request
    ("0016_search_text", add_search_text),
    # issue 15: the graph keyed by citations.ref_key, not by a copy of it
    ("0017_drop_cited_key", DROP_CITED_KEY),
    # a realisation of a plan stated before it (role realised, 'đạt 102,70% dự toán') is not added to the plan
    ("0018_budget_realised", VIEWS_SQL),
    # issue 17: an unchanged re-run knows a file by its stat, without reading its bytes
    ("0019_file_stats", FILE_STATS.ddl()),
    # issue 17: what a document says replaces what, read by the worker that extracts it (not from the stored
    # text by the one writer at every flag computation)
    ("0020_validity_statements", STATEMENTS.ddl()),
]

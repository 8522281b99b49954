"""Every read query: comparisons across provinces, the flag list, the run summary, any SQL, the
export.  What the CLI, the notebook and the coming web app read; nothing here writes.

Every function takes an open DuckDB connection and returns a pandas DataFrame built from the
views of migration 0004 (``province_summary``, ``province_staffing``, ``province_budget``,
``citation_network``) and the ``flags`` table.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd

BY = ("province", "province_2025")
METRICS = ("staffing", "budget", "citations", "flags")

_SQL = {
    "staffing": """
        SELECT {by}, sum(people)::BIGINT AS people, sum(full_time)::BIGINT AS full_time,
               sum(part_time)::BIGINT AS part_time,
               round(sum(part_time) / nullif(coalesce(sum(full_time), 0) + sum(part_time), 0), 3) AS part_time_share,
               sum(people) FILTER (WHERE level = 'tỉnh')::BIGINT AS "cấp tỉnh",
               sum(people) FILTER (WHERE level = 'huyện')::BIGINT AS "cấp huyện",
               sum(people) FILTER (WHERE level = 'xã')::BIGINT AS "cấp xã"
        FROM province_staffing GROUP BY 1 ORDER BY 1""",
    "budget": """
        SELECT {by}, sum(amounts_in_text)::BIGINT AS amounts_in_text, sum(text_min_vnd)::BIGINT AS text_min_vnd,
               sum(text_max_vnd)::BIGINT AS text_max_vnd, sum(per_year_max_vnd)::BIGINT AS per_year_max_vnd,
               sum(table_cells)::BIGINT AS table_cells, max(largest_table_amount_vnd)::BIGINT AS largest_table_amount_vnd
        FROM province_budget GROUP BY 1 ORDER BY 1""",
    "citations": """
        SELECT s.{by}, sum(s.documents)::BIGINT AS documents, sum(s.citations)::BIGINT AS citations,
               (SELECT count(DISTINCT n.document_key) FROM citation_network n WHERE n.{by} = s.{by}) AS national_documents_cited,
               round(sum(s.citations) / sum(s.documents), 1) AS citations_per_document
        FROM province_summary s GROUP BY 1 ORDER BY 1""",
    "flags": """
        SELECT dp.{by}, f.kind, count(*) AS n
        FROM flags f JOIN document_provinces dp USING (doc_id) GROUP BY ALL""",
}


def _check_by(by: str) -> None:
    if by not in BY:
        raise ValueError(f"--by must be one of {', '.join(BY)}, not {by!r}")


def compare(con: duckdb.DuckDBPyConnection, by: str = "province", metric: str = "staffing") -> pd.DataFrame:
    """One row per province (as written, or as after the 1 July 2025 merger) for one metric."""
    _check_by(by)
    if metric not in METRICS:
        raise ValueError(f"--metric must be one of {', '.join(METRICS)}, not {metric!r}")
    frame = con.execute(_SQL[metric].format(by=by)).df()
    if metric == "flags":
        if frame.empty:
            return frame.reindex(columns=[by, "total"])
        frame = frame.pivot_table(index=by, columns="kind", values="n", aggfunc="sum", fill_value=0)
        frame["total"] = frame.sum(axis=1)
        frame = frame.reset_index()
        frame.columns.name = None
    return frame


def list_flags(con: duckdb.DuckDBPyConnection, kind: str | None = None, province: str | None = None) -> pd.DataFrame:
    """The flags with their file and province, most severe first."""
    return con.execute("""
        SELECT f.kind, f.severity, regexp_extract(d.source_path, '[^/]+$') AS file, d.province, f.ref, f.message,
               f.expected, f.found, f.char_start, f.char_end, f.evidence, f.flag_id
        FROM flags f LEFT JOIN documents d USING (doc_id)
        WHERE (? IS NULL OR f.kind = ?)
          AND (? IS NULL OR d.province = ? OR d.province IN (SELECT province FROM provinces WHERE province_2025 = ?))
        ORDER BY f.severity = 'error' DESC, f.kind, file, f.char_start""", [kind, kind, province, province, province]).df()


def network(con: duckdb.DuckDBPyConnection, by: str = "province") -> pd.DataFrame:
    """Which national documents each province cites, how often, and how many of those mentions are flagged."""
    _check_by(by)
    return con.execute(f"""
        SELECT {by}, document, doc_type, issuer, sum(mentions)::BIGINT AS mentions, sum(documents)::BIGINT AS documents,
               sum(flagged_mentions)::BIGINT AS flagged_mentions
        FROM citation_network GROUP BY {by}, document_key, document, doc_type, issuer
        ORDER BY {by}, mentions DESC""").df()


def budget_by_level(con: duckdb.DuckDBPyConnection, by: str = "province") -> pd.DataFrame:
    """Money written in running text (upper bound of ranges), one column per level of government."""
    _check_by(by)
    frame = con.execute(f"SELECT {by}, level, sum(text_max_vnd)::BIGINT AS vnd FROM province_budget "
                        f"WHERE text_max_vnd IS NOT NULL GROUP BY ALL").df()
    if frame.empty:
        return frame.reindex(columns=[by])
    frame = frame.pivot_table(index=by, columns="level", values="vnd", aggfunc="sum", fill_value=0).reset_index()
    frame.columns.name = None
    return frame


def citations_by_type(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(cited type, mentions, mentions with a date), most cited first."""
    return con.execute("SELECT doc_type, count(*) n, count(cited_date) dated FROM citations "
                       "WHERE doc_id IN (SELECT doc_id FROM documents) GROUP BY 1 ORDER BY 2 DESC").fetchall()


_FIGURES_BY_PROVINCE = """
WITH d AS (SELECT doc_id, province FROM documents),
s AS (SELECT doc_id, sum(count) FILTER (WHERE parent_id IS NULL) staff,
             sum(coalesce(part_time, CASE WHEN category = 'kiêm nhiệm' THEN count END)) part
      FROM staffing GROUP BY 1),
b AS (SELECT doc_id, count(*) FILTER (WHERE NOT in_table) n_text, count(*) FILTER (WHERE in_table) n_table
      FROM budget GROUP BY 1),
l AS (SELECT doc_id, count(*) n FROM deadlines GROUP BY 1),
c AS (SELECT doc_id, count(*) n FROM counts GROUP BY 1)
SELECT d.province, sum(s.staff), sum(s.part), sum(b.n_text), sum(b.n_table), sum(l.n), sum(c.n)
FROM d LEFT JOIN s USING (doc_id) LEFT JOIN b USING (doc_id) LEFT JOIN l USING (doc_id) LEFT JOIN c USING (doc_id)
GROUP BY 1 ORDER BY 1 NULLS LAST
"""


def figures_by_province(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(province, staff in totals, part-time, budget in text, budget in tables, deadlines, counts)."""
    return con.execute(_FIGURES_BY_PROVINCE).fetchall()


class QueryError(Exception):
    """A query DuckDB refused (its first line)."""


def run_query(con: duckdb.DuckDBPyConnection, sql: str) -> "pd.DataFrame":
    try:
        return con.execute(sql).df()
    except duckdb.Error as e:
        raise QueryError(f"query failed: {str(e).splitlines()[0]}") from None


def export_parquet(con: duckdb.DuckDBPyConnection, to) -> list[str]:
    """Every table and view of :data:`pipeline.store.EXPORT` as ``to/<name>.parquet``."""
    from pathlib import Path

    from .store import EXPORT
    for name in EXPORT:
        target = (Path(to) / f"{name}.parquet").resolve()
        con.execute(f"COPY (SELECT * FROM {name}) TO '{str(target).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)")
    return list(EXPORT)

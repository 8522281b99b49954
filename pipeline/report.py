"""Every read query: comparisons across provinces, the flag list, the run summary, any SQL, the
export.  What the CLI, the notebook and the coming web app read; nothing here writes.

Every function takes an open DuckDB connection and returns a pandas DataFrame built from the
views of migration 0008 (``province_summary``, ``province_staffing``, ``province_budget``,
``citation_network``) and the ``flags`` table.
"""
from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from .store.views import BUDGET_ROWS, FLAG_ROWS, STAFFING_LATEST

if TYPE_CHECKING:
    import pandas as pd

BY = ("province", "province_2025")
METRICS = ("staffing", "budget", "citations", "flags")
KINDS = ("budget", "revenue", "indicator", "rate", "price", "unknown")
LEVELS = ("tỉnh", "huyện", "xã", "không rõ cấp")


@dataclass(frozen=True)
class Selection:
    """Which documents a comparison reads: ``--year``, ``--since``, ``--until`` (on the issue date,
    else the latest date a document cites) and ``--province`` (names as the user typed them)."""
    year: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    provinces: tuple[str, ...] = ()


def fold(name: str) -> str:
    """A key that ignores case, accents, đ/d and spacing (``Cà Mau`` = ``ca mau`` = ``CA  MAU``)."""
    s = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).lower().split())


def match_provinces(con: duckdb.DuckDBPyConnection, names, by: str = "province") -> list[str]:
    """The province names (as in the ``by`` column) the user's names stand for; ValueError naming
    the first name that matches none.  With ``province_2025`` a name from before the merger stands
    for the province it became."""
    _check_by(by)
    known: dict[str, str] = {}
    for province, after in con.execute(
            "SELECT province, province_2025 FROM provinces UNION SELECT province, province_2025 FROM document_provinces "
            "WHERE province IS NOT NULL").fetchall():
        known.setdefault(fold(province), province if by == "province" else after)
        if after:
            known.setdefault(fold(after), after)
    out = []
    for name in names:
        hit = known.get(fold(name))
        if hit is None:
            close = difflib.get_close_matches(fold(name), list(known), n=1, cutoff=0.6)
            hint = f" (did you mean {known[close[0]]}?)" if close else ""
            raise ValueError(f"--province {name!r} matches no province{hint}")
        if hit not in out:
            out.append(hit)
    return out


def _docs(con: duckdb.DuckDBPyConnection, sel: Selection, by: str) -> tuple[str, list]:
    """The relation of selected documents (columns of ``document_provinces``) and its parameters."""
    where, params = [], []
    if sel.year is not None:
        where.append("year = ?")
        params.append(sel.year)
    if sel.since is not None:
        where.append("date >= ?")
        params.append(sel.since)
    if sel.until is not None:
        where.append("date <= ?")
        params.append(sel.until)
    if sel.provinces:
        where.append(f"list_contains(?, {by})")
        params.append(match_provinces(con, sel.provinces, by))
    if not where:
        return "document_provinces", []
    return f"(SELECT * FROM document_provinces WHERE {' AND '.join(where)})", params


def _order(by: str, *more: str) -> str:
    return " ORDER BY " + ", ".join([f"{by} COLLATE vi NULLS LAST", *more])


def _budget(con, by: str, sel: Selection) -> pd.DataFrame:
    docs, params = _docs(con, sel, by)
    levels = ",\n".join(f"sum(amount_max_vnd) FILTER (WHERE kind = 'budget' AND level = '{lv}')::BIGINT AS \"cấp {lv}\""
                         if lv != "không rõ cấp" else
                         f"sum(amount_max_vnd) FILTER (WHERE kind = 'budget' AND level = '{lv}')::BIGINT AS \"{lv}\""
                         for lv in LEVELS) + ",\n" + (
        "sum(amount_max_vnd) FILTER (WHERE kind = 'budget' AND level NOT IN ('tỉnh', 'huyện', 'xã', 'không rõ cấp'))"
        "::BIGINT AS \"other levels\"")
    left_out = ",\n".join(f"sum(amount_max_vnd) FILTER (WHERE kind = '{k}')::BIGINT AS left_out_{k}_vnd" for k in KINDS[1:])
    frame = con.execute(f"""
        SELECT {by}, year,
               sum(amount_min_vnd) FILTER (WHERE kind = 'budget')::BIGINT AS budget_min_vnd,
               sum(amount_max_vnd) FILTER (WHERE kind = 'budget')::BIGINT AS budget_vnd,
               count(DISTINCT doc_id) FILTER (WHERE kind = 'budget') AS documents,
               count(*) FILTER (WHERE kind = 'budget') AS amounts,
               count(*) FILTER (WHERE kind = 'budget' AND source = 'text') AS from_text,
               count(*) FILTER (WHERE kind = 'budget' AND source = 'table totals') AS from_table_totals,
               count(*) FILTER (WHERE kind = 'budget' AND source = 'table leaves') AS from_table_leaves,
               {levels},
               {left_out},
               string_agg(DISTINCT kind, ', ' ORDER BY kind) FILTER (WHERE kind <> 'budget') AS left_out
        FROM ({BUDGET_ROWS.format(docs=docs)})
        GROUP BY ALL{_order(by, "year NULLS LAST")}""", params).df()
    return frame


def _staffing(con, by: str, sel: Selection) -> pd.DataFrame:
    docs, params = _docs(con, sel, by)
    return con.execute(f"""
        SELECT {by}, sum(people)::BIGINT AS people, count(DISTINCT doc_id) AS reports, max(as_of)::DATE AS latest_report,
               sum(full_time)::BIGINT AS full_time, sum(part_time)::BIGINT AS part_time,
               sum(people_with_split)::BIGINT AS people_with_split,
               round(sum(part_time) / nullif(sum(people_with_split), 0), 3) AS part_time_share,
               sum(people) FILTER (WHERE level = 'tỉnh')::BIGINT AS "cấp tỉnh",
               sum(people) FILTER (WHERE level = 'huyện')::BIGINT AS "cấp huyện",
               sum(people) FILTER (WHERE level = 'xã')::BIGINT AS "cấp xã",
               sum(people) FILTER (WHERE level = 'không rõ cấp')::BIGINT AS "không rõ cấp",
               sum(people) FILTER (WHERE level NOT IN ('tỉnh', 'huyện', 'xã', 'không rõ cấp'))::BIGINT AS "other levels"
        FROM ({STAFFING_LATEST.format(docs=docs)})
        GROUP BY 1{_order(by)}""", params).df()


def _citations(con, by: str, sel: Selection) -> pd.DataFrame:
    docs, params = _docs(con, sel, by)
    return con.execute(f"""
        WITH c AS (SELECT doc_id, count(*) AS n FROM citations GROUP BY 1)
        SELECT dp.{by}, count(*) AS documents, coalesce(sum(c.n), 0)::BIGINT AS citations,
               -- national documents cited by the province over all its documents (the network is not filtered)
               (SELECT count(DISTINCT n.document_key) FROM citation_network n WHERE n.{by} = dp.{by}) AS national_documents_cited,
               round(coalesce(sum(c.n), 0) / count(*), 1) AS citations_per_document
        FROM {docs} dp LEFT JOIN c USING (doc_id)
        GROUP BY 1{_order(by)}""", params).df()


def _flags(con, by: str, sel: Selection) -> pd.DataFrame:
    docs, params = _docs(con, sel, by)
    rows = f"({FLAG_ROWS.format(docs=docs)})"
    frame = con.execute(f"""
        SELECT {by}, count(DISTINCT doc_id) AS documents, count(kind) AS flags,
               round(100.0 * count(kind) / count(DISTINCT doc_id), 1) AS flags_per_100_documents
        FROM {rows} GROUP BY 1{_order(by)}""", params).df()
    per_kind = con.execute(f"""
        SELECT {by}, kind, round(100.0 * count(kind) / any_value(n), 1) AS rate
        FROM (SELECT *, count(DISTINCT doc_id) OVER (PARTITION BY {by}) AS n FROM {rows})
        WHERE kind IS NOT NULL GROUP BY ALL""", params).df()
    # per 100 documents for each kind too, so provinces of different sizes compare
    for kind in sorted(per_kind["kind"].unique()):
        rates = dict(zip(per_kind.loc[per_kind["kind"] == kind, by], per_kind.loc[per_kind["kind"] == kind, "rate"]))
        frame[kind] = [rates.get(p, 0.0) for p in frame[by]]
    return frame


_METRIC = {"staffing": _staffing, "budget": _budget, "citations": _citations, "flags": _flags}


# CTEs named like the views shadow them, keeping the rows of the years asked (bound parameters).
_YEAR_SCOPE = "WITH " + ", ".join(
    f"{v} AS (SELECT * FROM main.{v} WHERE (?::INT IS NULL OR year >= ?::INT) AND (?::INT IS NULL OR year <= ?::INT))"
    for v in ("province_staffing", "province_budget", "province_summary", "document_provinces")) + " "


def _check_by(by: str) -> None:
    if by not in BY:
        raise ValueError(f"--by must be one of {', '.join(BY)}, not {by!r}")


def compare(con: duckdb.DuckDBPyConnection, by: str = "province", metric: str = "staffing",
            selection: Selection | None = None) -> pd.DataFrame:
    """One row per province (as written, or as after the 1 July 2025 merger) for one metric, in
    Vietnamese alphabetical order.

    * ``budget``: one row per province and year of the document; ``budget_vnd`` adds kind
      ``budget`` only (the upper bound of ranges; ``budget_min_vnd`` the lower), top-level amounts
      of running text, else a table's total rows or its leaf cells (see :mod:`pipeline.store.views`);
      ``documents`` behind the figure, where its amounts come from, one column per level, and the
      sum of each kind left out.
    * ``staffing``: the latest stock (per unit and level, the latest report's figure);
      ``part_time_share`` is over the ``people_with_split`` whose chuyên trách / kiêm nhiệm split is written.
    * ``flags``: flags per 100 documents, in total and per kind; provinces with none have 0.
    """
    _check_by(by)
    if metric not in METRICS:
        raise ValueError(f"--metric must be one of {', '.join(METRICS)}, not {metric!r}")
    return _METRIC[metric](con, by, selection or Selection())


def years_selection(years: tuple[int | None, int | None] | None) -> Selection:
    """The documents of the years ``first``–``last`` (either may be None), as the web app's year filter gives them."""
    first, last = years or (None, None)
    return Selection(since=dt.date(first, 1, 1) if first else None, until=dt.date(last, 12, 31) if last else None)


def _has(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether the database has this table (one loaded before its migration, opened read-only, does not)."""
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [table]).fetchone()[0])


def _reviewed(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """The review columns of a flag listing and their join (empty columns before migration 0013)."""
    if _has(con, "flag_reviews"):
        return "r.decision, r.note AS review_note", "LEFT JOIN flag_reviews r ON r.flag_id = f.flag_id"
    return "NULL::VARCHAR AS decision, NULL::VARCHAR AS review_note", ""


def list_flags(con: duckdb.DuckDBPyConnection, kind: str | None = None, province: str | None = None,
               hide_false_alarms: bool = False) -> pd.DataFrame:
    """The flags with their file and province and the decision recorded on each, most severe first."""
    cols, join = _reviewed(con)
    return con.execute(f"""
        SELECT f.kind, f.severity, regexp_extract(d.source_path, '[^/]+$') AS file, d.province, f.ref, f.message,
               f.expected, f.found, f.char_start, f.char_end, f.evidence, f.flag_id, {cols}
        FROM flags f LEFT JOIN documents d USING (doc_id) {join}
        WHERE (? IS NULL OR f.kind = ?)
          AND (? IS NULL OR d.province = ? OR d.province IN (SELECT province FROM provinces WHERE province_2025 = ?))
          AND NOT (? AND decision IS NOT DISTINCT FROM 'false_alarm')
        ORDER BY f.evidence_strength DESC NULLS LAST, f.severity = 'error' DESC, f.kind, file, f.char_start""",
        [kind, kind, province, province, province, hide_false_alarms]).df()


def network(con: duckdb.DuckDBPyConnection, by: str = "province") -> pd.DataFrame:
    """Which national documents each province cites, how often, and how many of those mentions are flagged."""
    _check_by(by)
    return con.execute(f"""
        SELECT {by}, document, doc_type, issuer, sum(mentions)::BIGINT AS mentions, sum(documents)::BIGINT AS documents,
               sum(flagged_mentions)::BIGINT AS flagged_mentions
        FROM citation_network GROUP BY {by}, document_key, document, doc_type, issuer
        ORDER BY {by}, mentions DESC""").df()


def budget_by_level(con: duckdb.DuckDBPyConnection, by: str = "province") -> pd.DataFrame:
    """Budget/spending (kind ``budget``, upper bound of ranges, as in :func:`compare`), one column per level."""
    _check_by(by)
    frame = con.execute(f"SELECT {by}, level, sum(max_vnd)::DOUBLE AS vnd FROM province_budget "
                        f"WHERE kind = 'budget' GROUP BY ALL").df()
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
    """A query DuckDB refused (its whole message, one line per line)."""


# what a read-only query may be: DESCRIBE, SHOW and SUMMARIZE parse as SELECT
QUERY_TYPES = {"SELECT", "EXPLAIN"}


def refused_or_failed(e: duckdb.Error) -> QueryError:
    """DuckDB's whole message; a sandbox refusal says why it happened."""
    text = str(e)
    low = text.lower()
    if "external access" in low or "file system operations are disabled" in low or "configuration has been locked" in low \
            or "lock_configuration" in low:
        text += " (vanban query reads only its database)"
    return QueryError(f"query failed: {text}")


def _one_read_statement(con: duckdb.DuckDBPyConnection, sql: str):
    """The one SELECT/EXPLAIN statement of ``sql``, or a QueryError saying what was refused."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as e:
        raise QueryError(f"query failed: {e}") from None
    if not statements:
        raise QueryError("query failed: no SQL statement given")
    if len(statements) > 1:
        raise QueryError(f"query refused: {len(statements)} statements given; vanban query runs one")
    kind = statements[0].type.name
    if kind not in QUERY_TYPES:
        raise QueryError(f"query refused: {kind} statements are not allowed (vanban query is read-only: SELECT, "
                         "EXPLAIN, DESCRIBE, SHOW, SUMMARIZE)")
    return statements[0]


def query_relation(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None):
    """The result of one read-only statement ``sql`` (with ``$name`` parameters) as a relation for
    :mod:`pipeline.output`; the connection is sandboxed as well (:data:`pipeline.store.SANDBOX`)."""
    statement = _one_read_statement(con, sql)
    try:
        return con.sql(statement.query, params=params) if params else con.sql(statement.query)
    except duckdb.Error as e:
        raise refused_or_failed(e) from None


def _parquet_columns(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """The select list of ``name`` with HUGEINT money as BIGINT (Parquet has no HUGEINT: DuckDB would write DOUBLE)."""
    cols = con.execute(f"DESCRIBE {name}").fetchall()
    return ", ".join(f'CAST("{c}" AS BIGINT) AS "{c}"' if t == "HUGEINT" else f'"{c}"' for c, t, *_ in cols)


def export_parquet(con: duckdb.DuckDBPyConnection, to) -> list[str]:
    """Every table and view of :data:`pipeline.store.EXPORT` as ``to/<name>.parquet``.

    Rows come out through Arrow and are written by pyarrow (the connection reads no file but its
    database); a name already taken in ``to`` by something vanban did not write is refused first.
    """
    from pathlib import Path

    import pyarrow.parquet as pq

    from .store import EXPORT
    from .store.outputs import check_targets, write_file
    to = Path(to)
    names = [f"{name}.parquet" for name in EXPORT]
    check_targets(to, names)
    for name, file_name in zip(EXPORT, names):
        table = con.execute(f"SELECT {_parquet_columns(con, name)} FROM {name}").to_arrow_table()
        write_file(to, file_name, lambda f, t=table: pq.write_table(t, f))
    return list(EXPORT)


# --- the web app's queries (pipeline/web) ----------------------------------------------------------
# They read the tables of WEB_TABLES, which the app writes into its own copy of the database (its
# snapshot, never the user's file) each time it takes one: what every page would otherwise recompute
# per request (counts per document, province after the merger, file names, Vietnamese sort ranks).
# Accent- and case-folded text: strip_accents leaves Đ/đ alone, so they are mapped to D/d first.
FOLD = "lower(strip_accents(replace(replace({x}, 'Đ', 'D'), 'đ', 'd')))"

DOC_FACETS = ("province", "province_2025", "doc_type", "year", "status", "has_flags")
DOC_SORTS = ("file", "province", "doc_type", "ref", "issue_date", "status", "n_citations", "n_flags")
_TEXT_SORTS = ("file", "province", "doc_type", "ref", "status")   # sorted by their rank in Vietnamese order
DOC_COLUMNS = ("doc_id, file, format, status, province, province_2025, doc_type, ref, issue_date, year, subject, "
                "n_citations, n_flags")


def _rank(col: str) -> str:
    return (f"CASE WHEN {col} IS NOT NULL THEN dense_rank() OVER (ORDER BY {col} COLLATE vi) END AS rank_{col}"
            if col != "file" else "row_number() OVER (ORDER BY file COLLATE vi, doc_id) AS rank_file")


WEB_TABLES = f"""
CREATE OR REPLACE TABLE web_documents AS
WITH c AS (SELECT doc_id, count(*) AS n FROM citations GROUP BY 1),
     f AS (SELECT doc_id, count(*) AS n FROM flags GROUP BY 1),
     b AS (SELECT d.doc_id, regexp_extract(d.source_path, '[^/]+$') AS file, d.format, d.status, d.province,
                  coalesce(p.province_2025, d.province) AS province_2025, d.doc_type, d.ref, d.issue_date,
                  year(coalesce(d.issue_date, d.issue_date_not_before)) AS year, d.subject,
                  coalesce(c.n, 0) AS n_citations, coalesce(f.n, 0) AS n_flags,
                  CASE WHEN f.n > 0 THEN 'yes' ELSE 'no' END AS has_flags
           FROM documents d LEFT JOIN provinces p ON p.province = d.province
                LEFT JOIN c USING (doc_id) LEFT JOIN f USING (doc_id))
SELECT *, {', '.join(_rank(c) for c in _TEXT_SORTS)} FROM b ORDER BY rank_file;

-- the texts again, for the search snippets: documents.text is ZSTD-compressed by DuckDB, where 50 texts of a page
-- took 2 s to read (the whole segment decompressed for each); the app writes this copy uncompressed
CREATE OR REPLACE TABLE web_texts AS SELECT doc_id, text FROM documents WHERE text IS NOT NULL;

CREATE OR REPLACE TABLE web_flags AS
SELECT f.flag_id, f.kind, f.severity, f.doc_id, w.file, w.province, w.province_2025, w.year, f.ref, f.message,
       f.expected, f.found, f.char_start, f.char_end, f.evidence, r.decision, r.note AS review_note,
       row_number() OVER (ORDER BY f.severity = 'error' DESC, f.kind, w.file COLLATE vi, f.char_start, f.flag_id) AS rank
FROM flags f LEFT JOIN web_documents w USING (doc_id) LEFT JOIN flag_reviews r ON r.flag_id = f.flag_id
ORDER BY rank;

CREATE OR REPLACE TABLE web_cited AS
WITH m AS (SELECT c.ref, c.doc_type, c.issuer, c.cited_date, c.doc_id, w.file
           FROM citations c JOIN web_documents w USING (doc_id) WHERE c.ref IS NOT NULL),
dates AS (SELECT ref, cited_date, count(*) n FROM m WHERE cited_date IS NOT NULL GROUP BY 1, 2),
per_date AS (SELECT ref, string_agg(strftime(cited_date, '%d/%m/%Y') || ' (' || n || ')', ', ' ORDER BY n DESC, cited_date) AS dates_cited,
                    first(cited_date ORDER BY n DESC, cited_date) AS consensus
             FROM dates GROUP BY 1),
agg AS (SELECT ref, mode(doc_type) AS doc_type, mode(issuer) AS issuer, count(*) AS mentions,
               count(DISTINCT doc_id) AS citing_documents, list(DISTINCT file ORDER BY file) AS cited_by
        FROM m GROUP BY 1),
own AS (SELECT ref, min(doc_id) AS doc_id FROM documents WHERE ref IS NOT NULL GROUP BY 1),
key AS (SELECT ref, min(ref_key) AS ref_key FROM citations WHERE ref IS NOT NULL GROUP BY 1),
valid AS (SELECT target_key, string_agg(relation || coalesce(' by ' || by_ref, '') || coalesce(' since ' || strftime(since, '%d/%m/%Y'), ''),
                                        '; ' ORDER BY since) AS validity
          FROM document_validity GROUP BY 1)
SELECT a.ref, a.doc_type, a.issuer, a.mentions, a.citing_documents, x.dates_cited, x.consensus,
       k.issue_date AS catalog_date, k.title AS catalog_title, o.doc_id AS in_archive, a.cited_by, v.validity,
       {FOLD.format(x="a.ref || ' ' || coalesce(k.title, '')")} AS search,
       row_number() OVER (ORDER BY a.mentions DESC, a.ref COLLATE vi) AS rank
FROM agg a LEFT JOIN catalog k ON k.ref = a.ref LEFT JOIN per_date x ON x.ref = a.ref LEFT JOIN own o ON o.ref = a.ref
     LEFT JOIN key ON key.ref = a.ref LEFT JOIN valid v ON v.target_key = key.ref_key
ORDER BY rank;
"""


def _records(cur) -> list[dict]:
    """The rows of an executed statement as dicts (plain Python values: None, int, date, str)."""
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _paged(con: duckdb.DuckDBPyConnection, columns: str, table: str, where: str, params: list, order: str,
           limit: int | None, offset: int) -> tuple[list[dict], int]:
    """One page of ``table``'s rows (every row when ``limit`` is None) and how many rows ``where`` keeps."""
    page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
    rows = _records(con.execute(f"SELECT {columns}, count(*) OVER () AS total FROM {table} WHERE {where} "
                                f"ORDER BY {order}{page}", params))
    total = rows[0]["total"] if rows else \
        (0 if offset == 0 else con.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[0])
    for r in rows:
        del r["total"]
    return rows, total


def fold_chars(s: str) -> str:
    """Python twin of :data:`FOLD`, one character for one (offsets into the folded text are offsets into ``s``)."""
    return s.translate(_FOLD_TABLE)


class _FoldTable(dict):
    """str.translate's table for :func:`fold_chars`, each character's fold computed the first time it is met."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "Đđ":
            out = "d"
        else:
            base = unicodedata.normalize("NFD", ch)[0]
            out = base.lower() if len(base.lower()) == 1 else ch
        self[code] = out
        return out


_FOLD_TABLE = _FoldTable()


SEARCHED = "searched"   # the temporary table of what a search found (one per connection)


def matching(con: duckdb.DuckDBPyConnection, q: str | None) -> str | None:
    """The documents holding every word of ``q`` (folded like ``documents.search_text``, which is searched),
    as the name of a temporary table of this connection (in memory: the database is not written), so that
    the page and its facet counts read them without searching twice; None when ``q`` has no word."""
    from .store.tables import search_key
    words = [w for w in (search_key(w) for w in (q or "").split()) if w]
    if not words:
        return None
    con.execute(f"CREATE OR REPLACE TEMP TABLE {SEARCHED} AS SELECT doc_id FROM documents WHERE "
                + " AND ".join("contains(search_text, ?)" for _ in words), words)
    return SEARCHED


def _doc_where(matches: str | None, filters: dict) -> tuple[str, list]:
    """(WHERE over web_documents, params): every value bound, every column from a fixed list; ``matches``:
    the table of the documents a search found (:func:`matching`), None for no search."""
    where, params = ["TRUE"], []
    if matches is not None:
        where.append(f"doc_id IN (SELECT doc_id FROM {SEARCHED})")
    if filters.get("cites"):
        where.append("doc_id IN (SELECT doc_id FROM citations WHERE ref = ?)")
        params.append(filters["cites"])
    for col in DOC_FACETS:
        v = filters.get(col)
        if v in (None, ""):
            continue
        where.append("year = ?::INT" if col == "year" else f"{col} = ?")
        params.append(v)
    return " AND ".join(where), params


def search_documents(con: duckdb.DuckDBPyConnection, matches: str | None = None, filters: dict | None = None,
                     sort: str = "file", desc: bool = False, limit: int | None = 50, offset: int = 0,
                     with_text: bool = False) -> tuple[list[dict], int]:
    """One page of the documents a search found (``matches``, from :func:`matching`; None: every document)
    that the facet ``filters`` keep (all of them when ``limit`` is None), and how many they are;
    ``with_text``: each row's ``text`` too (for the snippets)."""
    where, params = _doc_where(matches, filters or {})
    if sort not in DOC_SORTS:
        raise ValueError(f"sort must be one of {', '.join(DOC_SORTS)}, not {sort!r}")
    order = (f"rank_{sort}" if sort in _TEXT_SORTS else sort) + (" DESC" if desc else " ASC") + " NULLS LAST, rank_file"
    rows, total = _paged(con, DOC_COLUMNS, "web_documents", where, params, order, limit, offset)
    if with_text and rows:
        texts = dict(con.execute("SELECT doc_id, text FROM web_texts WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
                                 [[r["doc_id"] for r in rows]]).fetchall())
        for r in rows:
            r["text"] = texts.get(r["doc_id"])
    return rows, total


def count_documents(con: duckdb.DuckDBPyConnection) -> int:
    """How many documents the database holds (the run summary)."""
    return con.execute("SELECT count(*) FROM documents").fetchone()[0]


def document_facets(con: duckdb.DuckDBPyConnection, matches: str | None = None,
                    filters: dict | None = None) -> dict[str, list[tuple]]:
    """For each facet, (value, documents) among the documents found (``matches``) that the filters keep, most first."""
    where, params = _doc_where(matches, filters or {})
    sets = ", ".join(f"({c})" for c in DOC_FACETS)
    sql = (f"SELECT {', '.join(f'grouping({c}) = 0 AS g_{c}' for c in DOC_FACETS)}, {', '.join(DOC_FACETS)}, count(*) "
           f"FROM web_documents WHERE {where} GROUP BY GROUPING SETS ({sets}) ORDER BY count(*) DESC, "
           + ", ".join(f"{c} COLLATE vi" if c != "year" else c for c in DOC_FACETS))
    out: dict[str, list[tuple]] = {c: [] for c in DOC_FACETS}
    n = len(DOC_FACETS)
    for row in con.execute(sql, params).fetchall():
        for i, c in enumerate(DOC_FACETS):
            if row[i]:
                out[c].append((row[n + i], row[-1]))
    return out


def overview(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Documents by status, format, province, type and year; flags by kind and per 100 documents by province."""
    one = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    return {
        "total": one("SELECT count(*) FROM documents"),
        "status": one("SELECT status, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1"),
        "format": one("SELECT format, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1"),
        "province": one("SELECT province, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1 COLLATE vi NULLS LAST"),
        "doc_type": one("SELECT doc_type, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1 COLLATE vi NULLS LAST"),
        "year": one("SELECT year(coalesce(issue_date, issue_date_not_before)) y, count(*) FROM documents GROUP BY 1 ORDER BY 1 NULLS LAST"),
        "flag_kind": one("SELECT kind, count(*) FROM flags GROUP BY 1 ORDER BY 2 DESC, 1"),
        "flags_per_100": one("""
            WITH d AS (SELECT province, count(*) n FROM documents WHERE status = 'ok' GROUP BY 1),
                 f AS (SELECT d.province, count(*) n FROM flags JOIN documents d USING (doc_id) GROUP BY 1)
            SELECT d.province, d.n, coalesce(f.n, 0), round(100.0 * coalesce(f.n, 0) / d.n, 1)
            FROM d LEFT JOIN f ON f.province IS NOT DISTINCT FROM d.province ORDER BY 4 DESC, 1 COLLATE vi NULLS LAST"""),
    }


def document(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict | None:
    """The document's row with its file name and province after the merger, or None when there is none."""
    rows = _records(con.execute("""
        SELECT d.* EXCLUDE (search_text), w.file, w.province_2025
        FROM documents d JOIN web_documents w USING (doc_id) WHERE d.doc_id = ?""", [doc_id]))
    return rows[0] if rows else None


def document_spans(con: duckdb.DuckDBPyConnection, doc_id: str) -> list[dict]:
    """Every citation, figure and deadline of one document with its offsets, page and parsed values."""
    return _records(con.execute("""
        SELECT 'citation' AS kind, char_start, char_end, page, surface,
               json_object('ref', ref, 'doc_type', doc_type, 'issuer', issuer, 'name', name, 'cited_date', cited_date,
                           'article', article, 'clause', clause, 'point', point) AS details, ref, seq
        FROM citations WHERE doc_id = ?
        UNION ALL
        SELECT 'staffing', char_start, char_end, page, surface,
               json_object('count', count, 'unit', unit, 'level', level, 'category', category,
                           'full_time', full_time, 'part_time', part_time), NULL, id FROM staffing WHERE doc_id = ?
        UNION ALL
        SELECT 'budget', char_start, char_end, page, surface,
               json_object('amount_min_vnd', amount_min_vnd, 'amount_max_vnd', amount_max_vnd, 'per', per,
                           'purpose', purpose, 'unit', unit, 'level', level), NULL, seq FROM budget WHERE doc_id = ?
        UNION ALL
        SELECT 'deadline', char_start, char_end, page, surface,
               json_object('due_date', due_date, 'recurring', recurring, 'who', who, 'what', what), NULL, seq
        FROM deadlines WHERE doc_id = ?
        UNION ALL
        SELECT 'count', char_start, char_end, page, surface, json_object('value', value, 'head', head), NULL, seq
        FROM counts WHERE doc_id = ?
        ORDER BY char_start, char_end DESC""", [doc_id] * 5))


def documents_with_refs(con: duckdb.DuckDBPyConnection, refs: list[str]) -> dict[str, str]:
    """ref → doc_id of a document in the archive carrying that số hiệu."""
    if not refs:
        return {}
    return dict(con.execute("SELECT ref, min(doc_id) FROM documents WHERE ref IN (SELECT unnest(?)) GROUP BY 1",
                            [list(refs)]).fetchall())


FLAG_FILTERS = ("kind", "severity", "province", "year", "doc_id")
FLAG_COLUMNS = ("flag_id, kind, severity, doc_id, file, province, year, ref, message, expected, found, char_start, "
                "char_end, evidence, decision, review_note")


def search_flags(con: duckdb.DuckDBPyConnection, filters: dict | None = None, limit: int | None = None,
                 offset: int = 0) -> tuple[list[dict], int]:
    """One page of the flags the filters keep (province as written or after the merger), most severe first,
    and how many they keep."""
    f = {k: (v or None) for k, v in (filters or {}).items()}
    where = """(?::VARCHAR IS NULL OR kind = ?) AND (?::VARCHAR IS NULL OR severity = ?)
          AND (?::VARCHAR IS NULL OR province = ? OR province_2025 = ?)
          AND (?::INT IS NULL OR year = ?::INT) AND (?::VARCHAR IS NULL OR doc_id = ?)"""
    params = [f.get("kind"), f.get("kind"), f.get("severity"), f.get("severity"), f.get("province"), f.get("province"),
              f.get("province"), f.get("year"), f.get("year"), f.get("doc_id"), f.get("doc_id")]
    return _paged(con, FLAG_COLUMNS, "web_flags", where, params, "rank", limit, offset)


def flag_choices(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    return {
        "kind": [r[0] for r in con.execute("SELECT DISTINCT kind FROM web_flags ORDER BY 1").fetchall()],
        "severity": [r[0] for r in con.execute("SELECT DISTINCT severity FROM web_flags ORDER BY 1").fetchall()],
        "province": [r[0] for r in con.execute(
            "SELECT DISTINCT province FROM web_flags WHERE province IS NOT NULL ORDER BY 1 COLLATE vi").fetchall()],
    }


CITED_COLUMNS = ("ref, doc_type, issuer, mentions, citing_documents, dates_cited, consensus, catalog_date, catalog_title, "
                 "in_archive, validity")


def cited_documents(con: duckdb.DuckDBPyConnection, q: str | None = None, limit: int | None = None, offset: int = 0,
                    cited_by: int | None = None) -> tuple[list[dict], int]:
    """Each cited số hiệu once, most mentioned first: mentions, citing documents, the dates written with it
    (and how often), the consensus date (most mentions), the catalog's date and title, the document in the
    archive if any, its validity (what replaced, repealed or amended it, and since when) and the files citing
    it (``cited_by``: the first ones only, with ``more_citing`` the number left out); and how many there are."""
    files = "cited_by" if cited_by is None else f"cited_by[1:{int(cited_by)}]"
    where = f"?::VARCHAR IS NULL OR search LIKE '%' || {FOLD.format(x='?')} || '%'"
    params = [q or None, q or ""]
    columns = f"{CITED_COLUMNS}, array_to_string({files}, ', ') AS cited_by, len(cited_by) - len({files}) AS more_citing"
    return _paged(con, columns, "web_cited", where, params, "rank", limit, offset)


def data_stamp(db_path) -> str:
    """What changes when a run writes: the database file's (and its WAL's) modification time and size."""
    import os
    parts = []
    for p in (str(db_path), str(db_path) + ".wal"):
        try:
            st = os.stat(p)
            parts.append(f"{st.st_mtime_ns}-{st.st_size}")
        except OSError:
            parts.append("-")
    return ":".join(parts)

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

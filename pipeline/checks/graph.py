"""Rules over the citation graph (issue 15): a cited date against the cited document's own header,
a citation of a document already replaced, and the SQL rule files a user adds (``--rules DIR``).
The links, relations and validity they read are computed by :mod:`pipeline.graph` first."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import duckdb

from .common import CONSENSUS, HEADER_OR_CATALOG, MENTIONS, ONE_DOCUMENT, Scope, _d, _file, _rows, _Texts, flag
from .registry import rule

RULES_DIR_KEY = "rules_dir"


class RulesError(Exception):
    """A rule file that cannot be used (unreadable, not a query, missing columns)."""


@rule
def cited_date_vs_document(con, texts: _Texts, scope: Scope) -> Iterable[dict]:
    """The date written with a citation is not the issue date on the cited document's own header."""
    own_sentence: dict[str, tuple] = {}
    for r in _rows(con, MENTIONS.replace("FROM citations c", ", c.cited_doc_id, c.ref_key, t.issue_date AS own_date, "
                                         "t.source_path AS own_path, t.ref AS own_ref FROM citations c")
                   + " JOIN documents t ON t.doc_id = c.cited_doc_id"
                     " WHERE c.cited_date IS NOT NULL AND t.issue_date IS NOT NULL AND t.issue_date_source = 'date_line'"
                     " AND c.cited_date <> t.issue_date ORDER BY c.doc_id, c.char_start"):
        if r.cited_doc_id not in own_sentence:
            at = con.execute("SELECT char_start, char_end FROM dates WHERE doc_id = ? AND value = ? ORDER BY seq LIMIT 1",
                             [r.cited_doc_id, r.own_date]).fetchone()
            own_sentence[r.cited_doc_id] = at
        at = own_sentence[r.cited_doc_id]
        yield flag("cited_date_vs_document", "error", r.doc_id, r.ref,
                   f"{r.ref} cited with {_d(r.cited_date)}; its own header ({_file(r.own_path)}) dates it {_d(r.own_date)}",
                   {"file": _file(r.source_path), "sentence": texts.sentence(r.doc_id, r.char_start, r.char_end),
                    "cited_document": {"file": _file(r.own_path), "doc_id": r.cited_doc_id, "ref": r.own_ref,
                                       "issue_date": _d(r.own_date),
                                       "sentence": texts.sentence(r.cited_doc_id, *at) if at else None}},
                   expected=r.own_date, found=r.cited_date, char_start=r.char_start, char_end=r.char_end,
                   strength=HEADER_OR_CATALOG, basis="the cited document's own header")


@rule
def cites_superseded_document(con, texts: _Texts, scope: Scope) -> Iterable[dict]:
    """A document issued after X was replaced or repealed still cites X as its legal basis or as what it
    implements.  Not when the same clause names what replaced it ('Thông tư 14/2014 (nay là Thông tư 04/2021)')."""
    for r in _rows(con, """
        SELECT c.doc_id, c.seq, c.ref, c.char_start, c.char_end, c.relation, d.issue_date, d.source_path, d.ref AS doc_ref,
               v.relation AS change, v.by_ref, v.by_doc_id, v.by_date, v.since, v.source, v.doc_id AS said_in,
               v.sentence AS said, b.source_path AS by_path
        FROM citations c JOIN documents d USING (doc_id)
        JOIN document_validity v ON v.target_key = c.ref_key AND v.province IS NOT DISTINCT FROM c.cited_province
        LEFT JOIN documents b ON b.doc_id = v.by_doc_id
        WHERE c.relation IN ('basis', 'implements') AND v.relation IN ('replaced', 'repealed', 'expired')
          AND d.issue_date IS NOT NULL AND d.issue_date_source = 'date_line' AND v.since IS NOT NULL
          AND d.issue_date > v.since AND v.by_doc_id IS DISTINCT FROM c.doc_id
          AND NOT EXISTS (SELECT 1 FROM citations o WHERE o.doc_id = c.doc_id AND o.ref_key = v.by_key
                          AND abs(o.char_start - c.char_start) < 300)
        QUALIFY row_number() OVER (PARTITION BY c.doc_id, c.seq ORDER BY v.since) = 1
        ORDER BY c.doc_id, c.char_start"""):
        what = {"replaced": "replaced by", "repealed": "repealed by", "expired": "out of force"}[r.change]
        by = f"{what} {r.by_ref}" if r.by_ref else what
        yield flag("cites_superseded_document", "warning", r.doc_id, r.ref,
                   f"{r.doc_ref or _file(r.source_path)} dated {_d(r.issue_date)} cites {r.ref} "
                   f"({'legal basis' if r.relation == 'basis' else 'implements'}), {by} since {_d(r.since)}",
                   {"file": _file(r.source_path), "sentence": texts.sentence(r.doc_id, r.char_start, r.char_end),
                    "replacing": {"ref": r.by_ref, "date": _d(r.by_date), "file": _file(r.by_path), "source": r.source,
                                  "said_in": _file(con.execute("SELECT source_path FROM documents WHERE doc_id = ?",
                                                               [r.said_in]).fetchone()[0]) if r.said_in else None,
                                  "sentence": r.said}},
                   expected=f"in force on {r.issue_date}", found=f"{r.change} since {r.since}",
                   char_start=r.char_start, char_end=r.char_end,
                   strength=HEADER_OR_CATALOG if r.source == "catalog" else CONSENSUS,
                   basis="the reference catalog" if r.source == "catalog" else "the replacing text in the archive")


# --- rule files ---------------------------------------------------------------------------------

SEVERITY = re.compile(r"--\s*severity\s*:\s*(\w+)", re.IGNORECASE)
SEVERITIES = ("error", "warning", "info")


def rules_dir(con: duckdb.DuckDBPyConnection) -> Path | None:
    row = con.execute("SELECT value FROM state WHERE key = ?", [RULES_DIR_KEY]).fetchone()
    return Path(row[0]) if row and row[0] else None


def remember_rules_dir(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """``--rules DIR`` is kept in the database: later runs and checks use the same folder without it."""
    if not folder.is_dir():
        raise RulesError(f"{folder}: not a folder of .sql rule files")
    con.execute("INSERT INTO state VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [RULES_DIR_KEY, str(folder.resolve())])


def read_rule(path: Path) -> tuple[str, str]:
    """(severity, query) of one rule file; the severity is a header comment ('-- severity: error')."""
    try:
        sql = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise RulesError(f"{path}: cannot read rule ({getattr(e, 'strerror', None) or e})") from None
    m = SEVERITY.search(sql)
    severity = m.group(1).lower() if m else "warning"
    if severity not in SEVERITIES:
        raise RulesError(f"{path}: severity must be one of {', '.join(SEVERITIES)}, not {severity!r}")
    return severity, sql.strip().rstrip(";")


@rule
def rule_files(con, texts: _Texts, scope: Scope) -> Iterable[dict]:
    """Each ``.sql`` file of the remembered rules folder: a query returning the failing rows (``doc_id``,
    ``message``, optional ``char_start``/``char_end``); its rows are flags of kind ``rule:<file name>``."""
    folder = rules_dir(con)
    if folder is None:
        return
    if not folder.is_dir():
        raise RulesError(f"{folder}: the rules folder is gone (give another with --rules DIR)")
    for path in sorted(folder.glob("*.sql")):
        severity, sql = read_rule(path)
        kind = f"rule:{path.stem}"
        from ..report import QueryError, _one_read_statement
        try:
            cur = con.execute(_one_read_statement(con, sql).query)   # one SELECT: a rule reads, never writes
        except QueryError as e:
            raise RulesError(f"{path}: {e}") from None
        except duckdb.Error as e:
            raise RulesError(f"{path}: {str(e).splitlines()[0]}") from None
        cols = [d[0] for d in cur.description]
        missing = {"doc_id", "message"} - set(cols)
        if missing:
            raise RulesError(f"{path}: the query must return doc_id and message (missing {', '.join(sorted(missing))})")
        for n, row in enumerate(cur.fetchall()):
            r = dict(zip(cols, row))
            s, e = r.get("char_start"), r.get("char_end")
            where = con.execute("SELECT source_path FROM documents WHERE doc_id = ?", [r["doc_id"]]).fetchone()
            evidence = {"file": _file(where[0]) if where else None, "rule": path.name}
            if s is not None and e is not None:
                evidence["sentence"] = texts.sentence(r["doc_id"], int(s), int(e))
            yield flag(kind, severity, r["doc_id"], r.get("ref"), str(r["message"]), evidence,
                       char_start=None if s is None else int(s), char_end=None if e is None else int(e),
                       strength=ONE_DOCUMENT, basis=f"rule file {path.name}",
                       finding=f"{kind}|{r['doc_id']}|{r['message']}|{s}")

"""Stage 5: consistency flags over the whole archive.

Each kind of flag is one small rule: a query over the loaded tables that returns the offending
rows with the evidence a person needs (the file, the sentence, the other documents that
disagree).  A rule that cannot decide says nothing.  ``compute_flags`` replaces the ``flags``
table in one transaction; ``vanban run`` calls it at the end and ``vanban check`` on demand.

The rules are grouped by subject, one module each (``citations``, ``dates``, ``figures``); a module
registers its rules with ``@rule`` (``registry``).  What they share: ``keys`` (the số hiệu key and its scope),
``common`` (the flag row, its evidence strength, the quoted sentence) and ``reference`` (the catalog).
"""
from __future__ import annotations

import collections
from pathlib import Path
from typing import Sequence

import duckdb

from ..store import insert_rows, mark_flags_stale, transaction
from ..store.tables import FLAGS
# the rules, grouped by subject: importing a module registers its rules (this order is the order they run)
from . import citations, dates, figures, graph  # noqa: F401
from ..graph import build as graph_build
from .common import Scope, _add_finding, _Texts
from .keys import ref_key, scope_key, split_key
from .registry import RULES, Rule, rule
from .reference import CATALOG_COLUMNS, CatalogError, read_catalog, refresh_reference

FLAG_COLUMNS = FLAGS.columns
__all__ = ["CATALOG_COLUMNS", "CatalogError", "FLAG_COLUMNS", "RULES", "Scope", "compute_flags", "read_catalog",
           "ref_key", "refresh_reference", "Rule", "rule", "scope_key", "split_key"]


def compute_flags(con: duckdb.DuckDBPyConnection, catalog_files: Sequence[Path] = (),
                  include_articles: bool = False) -> collections.Counter:
    """Recompute every flag of the archive (one row per finding); returns how many of each kind."""
    refresh_reference(con, catalog_files)
    with transaction(con):
        graph_build(con)   # links, relations, validity: what the graph rules read
    texts = _Texts(con)
    scope = Scope(include_articles=include_articles)
    rows: dict[str, dict] = {}
    for rule in RULES.values():
        for r in rule(con, texts, scope):
            _add_finding(rows, r)
    with transaction(con):
        con.execute("DELETE FROM flags")
        insert_rows(con, "flags", FLAG_COLUMNS, list(rows.values()))
        mark_flags_stale(con, False)
    return collections.Counter(r["kind"] for r in rows.values())

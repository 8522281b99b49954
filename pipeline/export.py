"""Export the database for other tools: an .xlsx workbook (one sheet per table and view, money as
integers) or a .sqlite file (every table and view, full-text search on documents) for Datasette and
sqlite-utils."""
from __future__ import annotations

import datetime as dt
import decimal
import json
import sqlite3
from pathlib import Path

import duckdb

from .output import json_default

XLSX_MAX_CELL = 32767   # Excel's limit on the characters of one cell


def _plain(v):
    """A DuckDB value as what SQLite and Excel store: lists and structs as JSON, dates ISO, integers kept."""
    if isinstance(v, (list, dict, tuple)):
        return json.dumps(v, ensure_ascii=False, default=json_default)
    if isinstance(v, decimal.Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return v.isoformat()
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 2 ** 63:
        return str(v)
    return v


def export_sqlite(con: duckdb.DuckDBPyConnection, names: list[str], to: Path) -> list[str]:
    to = Path(to)
    if to.exists():
        to.unlink()
    out = sqlite3.connect(to)
    try:
        for name in names:
            rel = con.sql(f"SELECT * FROM {name}")
            cols = ", ".join('"' + c.replace('"', '""') + '"' for c in rel.columns)
            out.execute(f'CREATE TABLE "{name}" ({cols})')
            out.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(rel.columns))})',
                            ([_plain(v) for v in row] for row in rel.fetchall()))
        if "documents" in names:   # the FTS5 table sqlite-utils' enable_fts makes, so Datasette searches it
            out.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(subject, text, content='documents', content_rowid='rowid')")
            out.execute("INSERT INTO documents_fts (rowid, subject, text) SELECT rowid, subject, text FROM documents")
        out.commit()
    finally:
        out.close()
    return names


def export_xlsx(con: duckdb.DuckDBPyConnection, names: list[str], to: Path) -> list[str]:
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    for name in names:
        rel = con.sql(f"SELECT * FROM {name}")
        ws = wb.create_sheet(name[:31])
        ws.append(rel.columns)
        for row in rel.fetchall():
            cells = [_plain(v) for v in row]
            ws.append([c[:XLSX_MAX_CELL] if isinstance(c, str) else c for c in cells])
    wb.save(to)
    return names

"""Render a DuckDB result in the formats sqlite-utils names: table, csv, tsv, json, nl, markdown.

Machine formats go through DuckDB's own writers (lists as ``[a, b]``, dates as ``2024-07-23``, sums
as DuckDB prints them); the table is drawn by rich from DuckDB's values, every type turned into text
by :func:`cell`. Digits are grouped the Vietnamese way (``1.120``, ``51,4``) only in the table and
only in money and count columns; years, ids and codes never.
"""
from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import re
import tempfile
from enum import Enum

import duckdb


class Format(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    nl = "nl"
    markdown = "markdown"


class Lang(str, Enum):
    vi = "vi"
    en = "en"


# the labels of the table output and the run summary, each as (Vietnamese, English); the stored column
# names and values stay as they are
LABELS: dict[str, tuple[str, str]] = {
    "documents": ("văn bản ({n} tệp, {unchanged} không đổi)", "documents ({n} files, {unchanged} unchanged)"),
    "status": ("trạng thái", "status"),
    "format": ("định dạng", "format"),
    "files": ("số tệp", "files"),
    "citations": ("trích dẫn theo loại", "citations by type"),
    "type": ("loại", "type"),
    "mentions": ("lượt trích dẫn", "mentions"),
    "with_date": ("có ngày", "with date"),
    "figures": ("số liệu theo tỉnh", "figures by province"),
    "province": ("tỉnh", "province"),
    "staff": ("biên chế (tổng)", "staff (totals)"),
    "part_time": ("kiêm nhiệm (ghi rõ)", "part-time (stated)"),
    "budget_text": ("kinh phí trong văn bản", "budget in text"),
    "budget_tables": ("kinh phí trong bảng", "budget in tables"),
    "deadlines": ("thời hạn", "deadlines"),
    "counts": ("số đếm", "counts"),
    "flag_kinds": ("cảnh báo theo loại ({docs} văn bản)", "flags by kind ({docs} documents)"),
    "kind": ("loại", "kind"),
    "n_flags": ("số cảnh báo", "flags"),
    "per_1000": ("trên 1.000 văn bản", "per 1,000 documents"),
    "files_line": ("tệp: {read} đã đọc, {unchanged} không đổi", "files: {read} read, {unchanged} unchanged"),
    "pruned_line": ("đã xoá: {n} văn bản có tệp không còn", "pruned: {n} document(s) whose file is gone"),
    "flags_line": ("cảnh báo: {n} ({kinds}); xem: vanban flags --db {db}", "flags: {n} ({kinds}); list them with: vanban flags --db {db}"),
    "none": ("không có", "none"),
    "summary_skipped": ("bỏ qua các bảng tổng hợp: {e}", "summary tables skipped: {e}"),
    "loading": ("đang khởi động", "starting"),
    "reading": ("đang đọc", "reading"),
    "flags_stage": ("đang tính cảnh báo", "computing flags"),
    "rate": ("{r} tệp/s", "{r} files/s"),
    "eta": ("còn {t}", "ETA {t}"),
    "flag_list": ("cảnh báo ({n})", "flags ({n})"),
    "compare": ("{metric} theo {by}", "{metric} by {by}"),
}


def label(lang: Lang | str, key: str, **values) -> str:
    """A label of the table output or the run summary in ``lang`` (``vi`` or ``en``)."""
    return LABELS[key][Lang(lang) is Lang.en].format(**values)


# integer-or-decimal columns whose values are money or head counts (grouped in the table)
GROUPED = re.compile(r"(vnd|amount|count|people|full_time|part_time|mentions|documents|citations|flags|"
                     r"total|sum|^n$|^n_|value|million|budget|staff|files)", re.I)
NEVER_GROUPED = re.compile(r"(year|_id$|^id$|seq|page|char_|raw_|number|code|ref|symbol)", re.I)


def grouped(name: str, type_: str) -> bool:
    """Does the column hold money or counts (and not a year, id or code)?"""
    numeric = type_.split("(")[0] in {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                                      "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "DECIMAL", "DOUBLE", "FLOAT"}
    return numeric and bool(GROUPED.search(name)) and not NEVER_GROUPED.search(name)


def vn_number(v) -> str:
    """``1120`` → ``1.120``, ``51.4`` → ``51,4``."""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int):
        return f"{v:,}".replace(",", ".")
    text = f"{v:,}" if isinstance(v, decimal.Decimal) else f"{v:,.6g}" if abs(v) >= 1e15 else f"{v:,}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def cell(v, group: bool = False, decimal_comma: bool = False) -> str:
    """One DuckDB value as text: lists ``[a, b]``, structs ``{k: v}``, dates ISO, no float noise;
    ``decimal_comma`` (the table output): ``51,4`` for a fraction even where digits are not grouped."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if group and isinstance(v, (int, float, decimal.Decimal)):
        return vn_number(v)
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    if decimal_comma and isinstance(v, (float, decimal.Decimal)):
        return str(v).replace(".", ",")
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(cell(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {cell(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v.isoformat()
    return str(v)


def _quote(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"


def _json_cols(rel: duckdb.DuckDBPyRelation) -> str:
    """The select list that emits JSON-typed columns (and ``evidence``) as JSON, not as a string holding JSON."""
    exprs = []
    for name, t in zip(rel.columns, rel.types):
        q = '"' + name.replace('"', '""') + '"'
        exprs.append(f"CAST({q} AS JSON) AS {q}" if str(t) == "JSON" or name == "evidence" else q)
    return ", ".join(exprs)


def write(con: duckdb.DuckDBPyConnection, rel: duckdb.DuckDBPyRelation, fmt: Format | str, out,
          json_cols: bool = False, title: str | None = None, console=None) -> None:
    """Write ``rel`` to the text stream ``out`` in ``fmt``."""
    fmt = Format(fmt)
    if fmt in (Format.table, Format.markdown):
        cols, types = rel.columns, [str(t) for t in rel.types]
        rows = rel.fetchall()
        if fmt is Format.markdown:
            out.write(markdown(cols, types, rows))
        else:
            table(cols, types, rows, title, console)
        return
    select = _json_cols(rel) if json_cols and fmt in (Format.json, Format.nl) else "*"
    options = {Format.csv: "FORMAT csv, HEADER true", Format.tsv: "FORMAT csv, HEADER true, DELIMITER '\t'",
               Format.json: "FORMAT json, ARRAY true", Format.nl: "FORMAT json"}[fmt]
    fd, path = tempfile.mkstemp(suffix=".out")
    os.close(fd)
    # the rows are written by a private in-memory connection: the database's own connection is
    # sandboxed (no file access at all), and this one holds nothing but the result
    writer = duckdb.connect()
    try:
        name = f"vanban_out_{os.getpid()}"
        writer.register(name, rel.to_arrow_table())
        try:
            writer.execute(f"COPY (SELECT {select} FROM {name}) TO {_quote(path)} ({options})")
        finally:
            writer.close()
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if fmt is Format.json and not rel.columns:
            text = "[]\n"
        if fmt is Format.json and text.strip() == "":
            text = "[]\n"
        out.write(text)
    finally:
        os.unlink(path)


def markdown(cols, types, rows) -> str:
    def esc(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(esc(c) for c in cols) + " |",
             "| " + " | ".join("---:" if t.split("(")[0] in _NUMERIC else "---" for t in types) + " |"]
    lines += ["| " + " | ".join(esc(cell(v)) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


_NUMERIC = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UBIGINT", "UINTEGER", "DECIMAL", "DOUBLE", "FLOAT"}


def table(cols, types, rows, title=None, console=None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text
    console = console or Console()
    t = Table(title=title)
    groups = [grouped(c, ty) for c, ty in zip(cols, types)]
    for c, ty in zip(cols, types):
        t.add_column(c, overflow="fold", justify="right" if ty.split("(")[0] in _NUMERIC else "left")
    for row in rows:
        t.add_row(*(Text(cell(v, g, decimal_comma=True)) for v, g in zip(row, groups)))
    console.print(t, markup=False, highlight=False)


def json_default(v):
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return float(v)
    return str(v)


def dumps(v) -> str:
    return json.dumps(v, ensure_ascii=False, default=json_default)

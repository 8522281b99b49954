"""One document with its citations, figures and flagged spans marked: in the terminal (rich) or as a
standalone HTML page (displaCy-style ``<mark>`` spans)."""
from __future__ import annotations

import hashlib
import html
from pathlib import Path

import duckdb

# the tables whose rows point at characters of documents.text, and the label each gets
SPAN_TABLES = {"citations": "citation", "staffing": "staffing", "budget": "budget", "deadlines": "deadline",
               "counts": "count"}
STYLES = {"citation": "bold cyan", "staffing": "bold green", "budget": "bold yellow", "deadline": "bold magenta",
          "count": "bold blue", "flag": "bold white on red"}
COLOURS = {"citation": "#aee", "staffing": "#aea", "budget": "#fe9", "deadline": "#ecf", "count": "#bcf",
           "flag": "#f99"}


class NotFound(Exception):
    """No document or flag answers to the name given."""


def resolve(con: duckdb.DuckDBPyConnection, what: str) -> tuple[str, str | None]:
    """``(doc_id, flag_id or None)`` for a file, a doc_id (or its prefix) or a flag_id."""
    path = Path(what)
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest(), None
    row = con.execute("SELECT doc_id, flag_id FROM flags WHERE flag_id = ?", [what]).fetchone()
    if row:
        return row[0], row[1]
    rows = con.execute("SELECT doc_id FROM documents WHERE doc_id LIKE ? || '%' OR source_path = ? "
                       "OR regexp_extract(source_path, '[^/]+$') = ?", [what, what, what]).fetchall()
    if len(rows) != 1:
        raise NotFound(f"{what}: {'no' if not rows else 'more than one'} document or flag of that name")
    return rows[0][0], None


def spans(con: duckdb.DuckDBPyConnection, doc_id: str, flag_id: str | None) -> tuple[dict, list[tuple[int, int, str, str]]]:
    doc = con.execute("SELECT source_path, province, doc_type, ref, issue_date, text FROM documents WHERE doc_id = ?",
                      [doc_id]).fetchone()
    if doc is None:
        raise NotFound(f"{doc_id}: not in the database")
    found = []
    for table, label in SPAN_TABLES.items():
        for s, e, surface in con.execute(f"SELECT char_start, char_end, surface FROM {table} WHERE doc_id = ? "
                                         "AND char_start IS NOT NULL", [doc_id]).fetchall():
            found.append((s, e, label, surface))
    flag_sql = "SELECT char_start, char_end, kind || ': ' || message FROM flags WHERE doc_id = ? AND char_start IS NOT NULL"
    args = [doc_id]
    if flag_id:
        flag_sql += " AND flag_id = ?"
        args.append(flag_id)
    found += [(s, e, "flag", m) for s, e, m in con.execute(flag_sql, args).fetchall()]
    meta = dict(zip(("source_path", "province", "doc_type", "ref", "issue_date", "text"), doc))
    return meta, sorted(found)


def to_rich(meta: dict, found):
    from rich.text import Text
    text = Text(meta["text"] or "")
    for s, e, label, _ in found:
        if label != "flag":
            text.stylize(STYLES[label], s, e)
    for s, e, label, _ in found:   # flags last, on top
        if label == "flag":
            text.stylize(STYLES[label], s, e)
    return text


def to_html(meta: dict, found) -> str:
    text = meta["text"] or ""
    # non-overlapping marks, longest first at a position; flags win
    chosen, end = [], -1
    for s, e, label, note in sorted(found, key=lambda f: (f[0], f[2] != "flag", -(f[1] - f[0]))):
        if s >= end:
            chosen.append((s, e, label, note))
            end = e
    parts, pos = [], 0
    for s, e, label, note in chosen:
        parts.append(html.escape(text[pos:s]))
        parts.append(f'<mark class="{label}" title="{html.escape(note or "")}">{html.escape(text[s:e])}'
                     f'<span class="label">{label}</span></mark>')
        pos = e
    parts.append(html.escape(text[pos:]))
    css = "".join(f"mark.{k}{{background:{c}}}" for k, c in COLOURS.items())
    title = html.escape(str(meta["source_path"]))
    head = " · ".join(html.escape(str(meta[k])) for k in ("province", "doc_type", "ref", "issue_date") if meta[k])
    return (f'<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>{title}</title><style>'
            "body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:2}"
            "mark{padding:0.1em 0.3em;border-radius:0.3em}.label{font-size:0.6em;font-weight:bold;margin-left:0.4em;"
            f"text-transform:uppercase}}{css}</style></head><body><h1>{title}</h1><p>{head}</p>"
            f'<div style="white-space:pre-wrap">{"".join(parts)}</div></body></html>\n')

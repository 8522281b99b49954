"""Stage 4: load documents into DuckDB, one transaction per document.

A document's id is the sha256 of its bytes.  Loading the same bytes again changes nothing;
a file whose bytes changed replaces the rows it had under its old id.  Schema changes are
named migrations (:mod:`.migrations`) recorded in ``schema_migrations``.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path
from typing import Iterator

import duckdb

from .migrations import MIGRATIONS
from .packing import arrow_rows, pack
from .tables import DOCUMENT_PATHS, FILE_STATS, TABLES, path_rows, search_key

PIPELINE_VERSION = "8"  # bump when extraction changes, so re-runs recompute old rows

# every table that holds rows of one document, with its columns (declared once, in tables.py)
ROW_TABLES: dict[str, list[str]] = {t.name: t.columns for t in TABLES}
VIEWS = ["province_summary", "province_staffing", "province_budget", "citation_network", "cited_documents"]
# what 'vanban export' writes, one Parquet file each
EXPORT = ["documents", *(t.name for t in TABLES if t.exported), "flags", "catalog", "provinces",
          "document_validity", "catalog_entries", "catalog_relations", "flag_reviews", *VIEWS]
DOCUMENT_COLUMNS = ["doc_id", "source_path", "format", "status", "error", "province", "province_source", "doc_type",
                    "ref", "issue_date", "issue_date_not_before", "issuer", "signer", "signer_title", "subject",
                    "recipients", "n_pages", "n_chars", "text", "pipeline_version", "loaded_at", "text_source",
                    "ocr_pages", "issue_date_source", "official", "search_text"]


def document_row(doc: dict, loaded_at: dt.datetime) -> dict:
    """The ``documents`` row of what a worker found (the one place it is built, for both executors)."""
    return {**{c: doc.get(c) for c in DOCUMENT_COLUMNS}, "pipeline_version": PIPELINE_VERSION, "loaded_at": loaded_at,
            "search_text": doc["search_text"] if "search_text" in doc else search_key(doc.get("text"))}


class StoreError(Exception):
    """The database cannot be opened or written (in use, not a DuckDB file, no permission)."""


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    """Open (or create) the database for writing and bring its schema up to date."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(db_path, read_only=False)
    migrate(con)
    return con


def connect_read(db_path: Path) -> duckdb.DuckDBPyConnection:
    """Open an existing database for reading (queries, comparisons, export): read-only, and sandboxed."""
    if not db_path.exists():
        raise StoreError(f"{db_path}: no such database (run 'vanban run' first)")
    return _open(db_path, read_only=True)


# a connection that reads: no file but its database, no network, no extension, no setting changed
SANDBOX = {"enable_external_access": False, "autoinstall_known_extensions": False,
           "autoload_known_extensions": False, "lock_configuration": True}
# the writer is sandboxed the same way: it reads and writes its database and nothing else (rows come in
# as registered Arrow tables; the dask executor's Parquet tree is read and written by pyarrow). It
# shares the machine with the workers: one thread, and a bounded cache so memory stays flat. A checkpoint
# rewrites each table's last row group whole (all of documents.text, on an archive of a few thousand files), so
# one every 64 MB of log, not every 16: a quarter of the checkpoints (~1,5 CPU-s less on 3,500 files), ~15 MB more
WRITER = {**SANDBOX, "threads": 1, "memory_limit": "128MB", "checkpoint_threshold": "64MB"}
SQLITE_MAGIC = b"SQLite format 3\x00"


def _open(db_path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        with open(db_path, "rb") as f:
            head = f.read(16)
    except FileNotFoundError:
        head = b""
    except OSError as e:
        raise StoreError(f"{db_path}: cannot open database ({e.strerror or e})") from None
    if head == SQLITE_MAGIC:
        raise StoreError(f"{db_path}: an SQLite database, not a DuckDB one (vanban does not open it)")
    if db_path.is_dir():
        raise StoreError(f"{db_path}: a folder, not a DuckDB database")
    try:
        return duckdb.connect(str(db_path), read_only=read_only, config=SANDBOX if read_only else WRITER)
    except duckdb.IOException as e:
        first = str(e).splitlines()[0]
        if "lock" in first.lower():
            raise StoreError(f"{db_path}: database is in use by another process") from None
        raise StoreError(f"{db_path}: cannot open database ({first})") from None
    except duckdb.Error as e:
        raise StoreError(f"{db_path}: cannot open database ({str(e).splitlines()[0]})") from None


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction: committed when the block ends, rolled back (and the error raised) when it fails."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass   # the database is gone (disk full, invalidated): the first error is the one to tell
        raise
    con.execute("COMMIT")


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    done = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
    for name, step in MIGRATIONS:
        if name in done:
            continue
        with transaction(con):
            if callable(step):
                step(con)
            else:
                con.execute(step)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [name, dt.datetime.now()])


class Index:
    """What the database holds (document ids and paths), kept by the one writer, so that loading a
    new document does not scan the tables for old rows to replace."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.refresh(con)

    def refresh(self, con: duckdb.DuckDBPyConnection) -> None:
        self.by_path: dict[str, str] = dict(con.execute("SELECT source_path, doc_id FROM documents").fetchall())
        self.ids: set[str] = set(self.by_path.values())

    def stale(self, ids: list[str], paths: list[str]) -> list[str]:
        old = {i for i in ids if i in self.ids} | {self.by_path[p] for p in paths if p in self.by_path}
        return sorted(old)

    def loaded(self, stale: list[str], docs: list[dict]) -> None:
        gone = set(stale)
        self.ids -= gone
        self.by_path = {p: i for p, i in self.by_path.items() if i not in gone} if gone else self.by_path
        for d in docs:
            self.ids.add(d["doc_id"])
            self.by_path[d["source_path"]] = d["doc_id"]


def load_batch(con: duckdb.DuckDBPyConnection, batch: list[tuple[dict, dict[str, list[dict]]]],
               index: Index | None = None) -> None:
    """Replace everything known about these documents (and their paths) in one transaction.

    Each item is a document row and its rows in the tables of :data:`ROW_TABLES`.  A batch is
    written whole or not at all, so a killed run leaves only whole documents.
    """
    if not batch:
        return
    # the same bytes twice (or one path twice) in a batch: the later one wins, as if loaded one by one
    seen_ids: set[str] = set()
    seen_paths: set[str] = set()
    kept = []
    for doc, rows in reversed(batch):
        if doc["doc_id"] in seen_ids or doc["source_path"] in seen_paths:
            continue
        seen_ids.add(doc["doc_id"])
        seen_paths.add(doc["source_path"])
        kept.append((doc, rows))
    batch = [pack(doc, rows) for doc, rows in kept[::-1]]   # packed by the worker already, or here
    now = dt.datetime.now()
    docs = [document_row(doc, now) for doc, _ in batch]
    ids = [d["doc_id"] for d in docs]
    paths = [d["source_path"] for d in docs]
    with transaction(con):
        stale = index.stale(ids, paths) if index is not None else [r[0] for r in con.execute(
            "SELECT doc_id FROM documents WHERE list_contains(?, doc_id) OR list_contains(?, source_path)",
            [ids, paths]).fetchall()]
        delete_documents(con, stale)
        insert_rows(con, "documents", DOCUMENT_COLUMNS, docs)
        mark_flags_stale(con)
        for table, columns in ROW_TABLES.items():
            if table == DOCUMENT_PATHS.name:
                parts = [arrow_rows(table, [r for doc, _ in batch for r in path_rows(doc)])]
            else:
                parts = [rows[table] for _, rows in batch if len(rows.get(table, ()))]
            insert_tables(con, table, columns, parts)
    if index is not None:
        index.loaded(stale, docs)


def prune_documents(con: duckdb.DuckDBPyConnection, roots: list[Path], present: set[str]) -> int:
    """Delete the documents whose file, under one of ``roots``, is no longer there."""
    prefixes = [str(r) for r in roots]
    gone = [doc_id for doc_id, path in con.execute("SELECT doc_id, source_path FROM documents").fetchall()
            if path not in present and any(path == p or path.startswith(p.rstrip("/") + "/") for p in prefixes)]
    if gone:
        with transaction(con):
            delete_documents(con, gone)
            mark_flags_stale(con)
    return len(gone)


def relocate_documents(con: duckdb.DuckDBPyConnection, seen_at: dict[str, str], present: set[str]) -> int:
    """Documents whose bytes were found at another path of this run, while their stored path is gone
    (files moved into a sub-folder): the row follows the bytes, so ``--prune`` keeps it."""
    if not seen_at:
        return 0
    stored = dict(con.execute("SELECT doc_id, source_path FROM documents WHERE list_contains(?, doc_id)",
                              [list(seen_at)]).fetchall())
    moves = [(new, i) for i, new in seen_at.items() if i in stored and stored[i] not in present and stored[i] != new]
    if moves:
        with transaction(con):
            for new, i in moves:
                con.execute("UPDATE documents SET source_path = ? WHERE doc_id = ?", [new, i])
    return len(moves)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], records: list[dict],
                replace: bool = False) -> None:
    """Insert dict rows as one Arrow table (``executemany`` is a thousand times slower); ``replace``: a row
    whose primary key is taken replaces the old one."""
    if not records:
        return
    import pyarrow as pa   # imported on first use: an unchanged re-run never needs it

    # column by column into Arrow: several times cheaper for the writer than a DataFrame of dicts
    insert_tables(con, table, columns, [pa.Table.from_pydict({c: [r.get(c) for r in records] for c in columns})],
                  replace)


def insert_tables(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], parts: list,
                  replace: bool = False) -> None:
    """Insert Arrow tables of one schema (:mod:`.packing`) as one."""
    if not parts:
        return
    import pyarrow as pa

    con.register("_rows", pa.concat_tables(parts) if len(parts) > 1 else parts[0])
    try:
        con.execute(f"INSERT {'OR REPLACE ' if replace else ''}INTO {table} ({', '.join(columns)}) "
                    f"SELECT {', '.join(columns)} FROM _rows")
    finally:
        con.unregister("_rows")


def delete_documents(con: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
    """Delete documents and every row they own (inside the caller's transaction)."""
    if ids:
        for table in (*ROW_TABLES, FILE_STATS.name, "documents"):
            con.execute(f"DELETE FROM {table} WHERE list_contains(?, doc_id)", [ids])


def stat_key(st: os.stat_result) -> tuple[int, int, int, int, int]:
    """What ``file_stats`` compares: size, mtime and ctime (ns), inode and device."""
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev


def known_stats(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """Each recorded path: (its :func:`stat_key` when it was read, the id of the bytes it had then)."""
    return {r[0]: (tuple(r[1:6]), r[6]) for r in con.execute(
        f"SELECT {', '.join(FILE_STATS.columns)} FROM {FILE_STATS.name}").fetchall()}


def record_stats(con: duckdb.DuckDBPyConnection, seen: dict[str, tuple[tuple, str]]) -> None:
    """Remember, for each path, its stat taken before it was read and the id of the bytes it held (a sha256:
    a path whose read failed before hashing is not remembered, and is read again, as before)."""
    rows = [(p, *key, doc_id) for p, (key, doc_id) in seen.items() if len(doc_id) == 64 and ":" not in doc_id]
    if rows:
        with transaction(con):
            insert_rows(con, FILE_STATS.name, FILE_STATS.columns, [dict(zip(FILE_STATS.columns, r)) for r in rows],
                        replace=True)


def mark_flags_stale(con: duckdb.DuckDBPyConnection, stale: bool = True) -> None:
    """Documents changed (or flags were just recomputed): kept in the same transaction as the change."""
    con.execute("UPDATE state SET value = ? WHERE key = 'flags_stale'", ["true" if stale else "false"])


def flags_stale(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT value FROM state WHERE key = 'flags_stale'").fetchone()
    return row is None or row[0] == "true"

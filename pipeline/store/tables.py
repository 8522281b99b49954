"""One spec per table of per-document rows: its columns, their types (the DDL of a new table),
and how a row is built from an extractor's result.  ``ROW_TABLES``, the row builders in
:mod:`pipeline.store.rows`, the dask Parquet writer and ``vanban export`` all read these specs.

A new table: add a :class:`TableSpec` to :data:`TABLES` (a figure kind named like its table is
then stored with no other change) and a migration ``CREATE TABLE`` made by :meth:`TableSpec.ddl` at the end of
:mod:`pipeline.store.migrations`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

# where a row was read from: shared by every table of spans (see the README's citations table)
WHERE_COLUMNS = (("char_start", "INTEGER NOT NULL"), ("char_end", "INTEGER NOT NULL"), ("page", "INTEGER"),
                 ("surface", "VARCHAR NOT NULL"), ("raw_start", "INTEGER"), ("raw_end", "INTEGER"),
                 ("from_ocr", "BOOLEAN"))

Getter = Callable[[Any], Any]


def attr(name: str) -> Getter:
    return lambda item: getattr(item, name)


@dataclass(frozen=True)
class Field:
    column: str
    sql_type: str
    get: Getter


def field(column: str, sql_type: str, source: str | Getter | None = None) -> Field:
    """A column read from the result's attribute ``source`` (default: the column's name) or a function."""
    return Field(column, sql_type, source if callable(source) else attr(source or column))


@dataclass(frozen=True)
class TableSpec:
    name: str
    key: str                       # the row's number in its document (``seq`` or ``id``)
    fields: tuple[Field, ...]
    spans: bool = True             # rows point at characters: the WHERE columns follow
    also_key: tuple[str, ...] = () # more columns that hold the row's number (budget.id beside budget.seq)
    exported: bool = True          # written by 'vanban export'

    @property
    def columns(self) -> list[str]:
        return ["doc_id", self.key, *self.also_key, *(f.column for f in self.fields), *(c for c, _ in (WHERE_COLUMNS if self.spans else ()))]

    def ddl(self) -> str:
        cols = [("doc_id", "VARCHAR NOT NULL"), (self.key, "INTEGER NOT NULL"), *((c, "INTEGER") for c in self.also_key),
                *((f.column, f.sql_type) for f in self.fields), *(WHERE_COLUMNS if self.spans else ())]
        body = ",\n    ".join(f"{c} {t}" for c, t in cols)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n    {body},\n    PRIMARY KEY (doc_id, {self.key})\n);"

    def row(self, doc_id: str, number: int, item: Any) -> dict:
        return {"doc_id": doc_id, self.key: number, **{c: number for c in self.also_key}, **{f.column: f.get(item) for f in self.fields}}


def citation_key(citation) -> str | None:
    """``citations.ref_key``: the số hiệu's comparison key, by its one definition (extractors.citations.ref_key)."""
    from extractors.citations import ref_key   # the extractors' patterns load with the first document, not at start-up
    return ref_key(citation.ref)


def search_key(text: str | None) -> str | None:
    """``documents.search_text``: the text folded for a search that ignores case and diacritics, at C speed
    (NFD, Đ/đ → d, every non-ASCII character dropped, so the combining marks go; lower case).  The text
    itself keeps its diacritics; a query's words are folded the same way."""
    import unicodedata
    if text is None:
        return None
    return unicodedata.normalize("NFD", text).replace("Đ", "d").replace("đ", "d").encode("ascii", "ignore").decode().lower()


CITATIONS = TableSpec("citations", "seq", (
    field("doc_type", "VARCHAR"), field("ref", "VARCHAR"), field("number", "VARCHAR"), field("year", "INTEGER"),
    field("symbol", "VARCHAR"), field("issuer", "VARCHAR"), field("name", "VARCHAR"), field("cited_date", "DATE"),
    field("article", "VARCHAR"), field("clause", "VARCHAR"), field("point", "VARCHAR"), field("section", "VARCHAR"),
    field("pinpoints", "VARCHAR[]", lambda c: [str(p) for p in c.pinpoints]), field("nested", "BOOLEAN"),
    field("written_type", "VARCHAR"), field("code_type", "VARCHAR"), field("ref_key", "VARCHAR", citation_key)))
COUNTS = TableSpec("counts", "seq", (
    field("value", "BIGINT NOT NULL"), field("unit", "VARCHAR"), field("head", "VARCHAR"),
    field("parent_id", "INTEGER", "parent")))
DATES = TableSpec("dates", "seq", (
    field("day", "INTEGER"), field("month", "INTEGER"), field("year", "INTEGER"), field("value", "DATE")))
CITATION_LINKS = TableSpec("citation_links", "seq", (
    field("relation", "VARCHAR NOT NULL"), field("from_seq", "INTEGER NOT NULL", "implementer"),
    field("to_seq", "INTEGER NOT NULL", "implemented")))
COUNT_ITEMS = TableSpec("count_items", "count_seq", (
    field("citation_seq", "INTEGER NOT NULL", lambda pair: pair[1]),), spans=False)
STAFFING = TableSpec("staffing", "id", (
    field("count", "INTEGER NOT NULL"), field("unit", "VARCHAR"), field("level", "VARCHAR"),
    field("category", "VARCHAR"), field("full_time", "INTEGER"), field("part_time", "INTEGER"),
    field("parent_id", "INTEGER", "parent"), field("kind", "VARCHAR")))
BUDGET = TableSpec("budget", "seq", (
    field("amount_min_vnd", "HUGEINT NOT NULL", "min_vnd"), field("amount_max_vnd", "HUGEINT NOT NULL", "max_vnd"),
    field("per", "VARCHAR"), field("approx", "VARCHAR"), field("purpose", "VARCHAR"), field("unit", "VARCHAR"),
    field("level", "VARCHAR"), field("in_table", "BOOLEAN NOT NULL"), field("table_caption", "VARCHAR"),
    field("table_row", "VARCHAR"), field("table_column", "VARCHAR"), field("kind", "VARCHAR"),
    field("role", "VARCHAR"), field("parent_id", "INTEGER", "parent")), also_key=("id",))
DEADLINES = TableSpec("deadlines", "seq", (
    field("due_date", "DATE"), field("recurring", "VARCHAR"), field("precision", "VARCHAR"), field("what", "VARCHAR"),
    field("who", "VARCHAR")))

# every path a document's bytes were found under in the run that loaded it (seq 0 = documents.source_path)
DOCUMENT_PATHS = TableSpec("document_paths", "seq", (field("path", "VARCHAR NOT NULL", lambda path: path),), spans=False,
                           exported=False)

# in the order 'vanban export' writes them
TABLES: tuple[TableSpec, ...] = (CITATIONS, DATES, CITATION_LINKS, COUNTS, COUNT_ITEMS, STAFFING, BUDGET, DEADLINES,
                                 DOCUMENT_PATHS)


def path_rows(doc: dict) -> list[dict]:
    """The ``document_paths`` rows of a document row: its source path, then the paths of the same bytes."""
    paths = [doc["source_path"], *doc.get("extra_paths", ())]
    return [DOCUMENT_PATHS.row(doc["doc_id"], i, p) for i, p in enumerate(paths)]
BY_NAME = {t.name: t for t in TABLES}


@dataclass(frozen=True)
class FlagTable:
    """The ``flags`` table: one row per finding (not per mention), computed over the whole archive."""

    name: str
    columns_sql: tuple[tuple[str, str], ...]

    @property
    def columns(self) -> list[str]:
        return [c for c, _ in self.columns_sql]

    def add_columns(self, *names: str) -> str:
        types = dict(self.columns_sql)
        return "\n    ".join(f"ALTER TABLE {self.name} ADD COLUMN {n} {types[n]};" for n in names)


FLAGS = FlagTable("flags", (
    ("flag_id", "VARCHAR PRIMARY KEY"),        # stable for the same finding (kind, documents, số hiệu, dates)
    ("kind", "VARCHAR NOT NULL"), ("severity", "VARCHAR NOT NULL"), ("doc_id", "VARCHAR"), ("ref", "VARCHAR"),
    ("message", "VARCHAR NOT NULL"), ("evidence", "VARCHAR"), ("expected", "VARCHAR"), ("found", "VARCHAR"),
    ("char_start", "INTEGER"), ("char_end", "INTEGER"),   # the first span
    ("evidence_strength", "INTEGER"),          # 3 own header or catalog, 2 consensus of documents, 1 inside one document
    ("evidence_basis", "VARCHAR"),             # the evidence in words ('consensus of 5 documents in 3 provinces')
    ("spans", "STRUCT(doc_id VARCHAR, char_start INTEGER, char_end INTEGER)[]"),   # every mention of the finding
))

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
    # columns computed over the whole archive after loading (pipeline.graph), never by the extractors
    computed: tuple[tuple[str, str], ...] = ()

    @property
    def columns(self) -> list[str]:
        """The columns a document's rows are written with."""
        return ["doc_id", self.key, *self.also_key, *(f.column for f in self.fields), *(c for c, _ in (WHERE_COLUMNS if self.spans else ()))]

    @property
    def all_columns(self) -> list[str]:
        """Every column of the table: the written ones, then the computed ones."""
        return [*self.columns, *(c for c, _ in self.computed)]

    def ddl(self) -> str:
        cols = [("doc_id", "VARCHAR NOT NULL"), (self.key, "INTEGER NOT NULL"), *((c, "INTEGER") for c in self.also_key),
                *((f.column, f.sql_type) for f in self.fields), *(WHERE_COLUMNS if self.spans else ()), *self.computed]
        body = ",\n    ".join(f"{c} {t}" for c, t in cols)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n    {body},\n    PRIMARY KEY (doc_id, {self.key})\n);"

    def add_columns(self, *names: str) -> str:
        """``ALTER TABLE … ADD COLUMN`` for columns added since the table was made, typed by the spec (a
        migration of an older database)."""
        return _add_columns(self.name, {**{f.column: f.sql_type for f in self.fields}, **dict(self.computed)}, names)

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
    field("written_type", "VARCHAR"), field("code_type", "VARCHAR"), field("ref_key", "VARCHAR", citation_key),
    # basis | implements | amends | replaces | repeals | guides | reference: read from the mention's sentence
    field("relation", "VARCHAR", "role")),
    # the citation graph (issue 15), computed at every flag computation by pipeline.graph
    computed=(("cited_province", "VARCHAR"),   # the province a local số hiệu belongs to; null for a national one
              ("cited_doc_id", "VARCHAR"),     # the document of the archive the mention names
              ("link_note", "VARCHAR")))       # why a number the archive holds was not linked
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

# what a document says replaces, repeals or amends what (extractors.relations.Statement): pipeline.graph makes
# document_validity from these, with the links of the citations they name
STATEMENTS = TableSpec("validity_statements", "seq", (
    field("target_seq", "INTEGER NOT NULL", "target"), field("by_seq", "INTEGER", "by"),
    field("relation", "VARCHAR NOT NULL"), field("since", "DATE"), field("char_start", "INTEGER NOT NULL", "start"),
    field("char_end", "INTEGER NOT NULL", "end"), field("sentence", "VARCHAR")), spans=False, exported=False)

# every path a document's bytes were found under in the run that loaded it (seq 0 = documents.source_path)
DOCUMENT_PATHS = TableSpec("document_paths", "seq", (field("path", "VARCHAR NOT NULL", lambda path: path),), spans=False,
                           exported=False)

# in the order 'vanban export' writes them
TABLES: tuple[TableSpec, ...] = (CITATIONS, DATES, CITATION_LINKS, COUNTS, COUNT_ITEMS, STAFFING, BUDGET, DEADLINES,
                                 DOCUMENT_PATHS, STATEMENTS)


def path_rows(doc: dict) -> list[dict]:
    """The ``document_paths`` rows of a document row: its source path, then the paths of the same bytes."""
    paths = [doc["source_path"], *doc.get("extra_paths", ())]
    return [DOCUMENT_PATHS.row(doc["doc_id"], i, p) for i, p in enumerate(paths)]
BY_NAME = {t.name: t for t in TABLES}


def _add_columns(table: str, types: dict[str, str], names: tuple[str, ...]) -> str:
    return "\n    ".join(f"ALTER TABLE {table} ADD COLUMN {n} {types[n]};" for n in names)


@dataclass(frozen=True)
class Table:
    """A table of the archive as a whole, not of one document's rows (flags, validity, catalog, reviews):
    its columns with their SQL types, declared once; migrations take their DDL from here."""

    name: str
    columns_sql: tuple[tuple[str, str], ...]
    primary_key: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        return [c for c, _ in self.columns_sql]

    def ddl(self) -> str:
        body = ",\n    ".join([*(f"{c} {t}" for c, t in self.columns_sql),
                                *([f"PRIMARY KEY ({', '.join(self.primary_key)})"] if self.primary_key else [])])
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n    {body}\n);"

    def add_columns(self, *names: str) -> str:
        return _add_columns(self.name, dict(self.columns_sql), names)


# one row per finding (not per mention), computed over the whole archive
FLAGS = Table("flags", (
    ("flag_id", "VARCHAR PRIMARY KEY"),        # stable for the same finding (kind, documents, số hiệu, dates)
    ("kind", "VARCHAR NOT NULL"), ("severity", "VARCHAR NOT NULL"), ("doc_id", "VARCHAR"), ("ref", "VARCHAR"),
    ("message", "VARCHAR NOT NULL"), ("evidence", "VARCHAR"), ("expected", "VARCHAR"), ("found", "VARCHAR"),
    ("char_start", "INTEGER"), ("char_end", "INTEGER"),   # the first span
    ("evidence_strength", "INTEGER"),          # 3 own header or catalog, 2 consensus of documents, 1 inside one document
    ("evidence_basis", "VARCHAR"),             # the evidence in words ('consensus of 5 documents in 3 provinces')
    ("spans", "STRUCT(doc_id VARCHAR, char_start INTEGER, char_end INTEGER)[]"),   # every mention of the finding
))

# --- the citation graph (issue 15) ----------------------------------------------------------------

# national documents and their real dates: the shipped seed, a --catalog file and catalog_entries, merged
CATALOG = Table("catalog", (
    ("ref", "VARCHAR"), ("ref_key", "VARCHAR PRIMARY KEY"), ("type", "VARCHAR"), ("issue_date", "DATE"),
    ("issuer", "VARCHAR"), ("title", "VARCHAR"), ("source", "VARCHAR"),
    ("status", "VARCHAR"), ("effective_date", "DATE"), ("expiry_date", "DATE")))   # from an imported catalog
# what replaced, repealed or amended a document, and from when (pipeline.graph, at every flag computation)
DOCUMENT_VALIDITY = Table("document_validity", (
    ("target_key", "VARCHAR NOT NULL"),   # the số hiệu key of the document replaced, repealed or amended
    ("province", "VARCHAR"),              # its province when the số hiệu is local
    ("target_ref", "VARCHAR"), ("target_doc_id", "VARCHAR"),
    ("relation", "VARCHAR NOT NULL"),     # replaced | repealed | amended | expired
    ("by_ref", "VARCHAR"), ("by_key", "VARCHAR"), ("by_doc_id", "VARCHAR"), ("by_date", "DATE"),
    ("since", "DATE"),                    # from when (the replacing document's date, or the date the text gives)
    ("source", "VARCHAR NOT NULL"),       # archive | catalog
    ("doc_id", "VARCHAR"), ("char_start", "INTEGER"), ("char_end", "INTEGER"), ("sentence", "VARCHAR")))   # where the archive says so
# kept across runs: 'vanban catalog import'
CATALOG_ENTRIES = Table("catalog_entries", (
    ("ref_key", "VARCHAR PRIMARY KEY"), ("ref", "VARCHAR NOT NULL"), ("type", "VARCHAR"), ("issue_date", "DATE"),
    ("issuer", "VARCHAR"), ("title", "VARCHAR"), ("status", "VARCHAR"), ("effective_date", "DATE"),
    ("expiry_date", "DATE"), ("external_id", "VARCHAR"), ("source", "VARCHAR"), ("imported_at", "TIMESTAMP")))
CATALOG_RELATIONS = Table("catalog_relations", (
    ("ref_key", "VARCHAR NOT NULL"), ("ref", "VARCHAR"), ("other_key", "VARCHAR NOT NULL"), ("other_ref", "VARCHAR"),
    ("relation", "VARCHAR NOT NULL"),     # ref <relation> other_ref: replaces | amends | repeals | guides | basis
    ("source", "VARCHAR"), ("imported_at", "TIMESTAMP")), primary_key=("ref_key", "other_key", "relation"))
# kept across runs: 'vanban review'; never deleted by a recomputation
FLAG_REVIEWS = Table("flag_reviews", (
    ("flag_id", "VARCHAR PRIMARY KEY"), ("decision", "VARCHAR NOT NULL"), ("note", "VARCHAR"),
    ("reviewed_at", "TIMESTAMP NOT NULL"),
    ("kind", "VARCHAR"), ("doc_id", "VARCHAR"), ("ref", "VARCHAR"), ("message", "VARCHAR")))   # what the flag said when reviewed

# what each path looked like (os.stat) when the run that read it began, and the document it holds: a later
# run skips a path whose stat is the same without reading or hashing it (any difference: its bytes are hashed)
FILE_STATS = Table("file_stats", (
    ("path", "VARCHAR PRIMARY KEY"), ("size", "BIGINT"), ("mtime_ns", "BIGINT"), ("ctime_ns", "BIGINT"),
    ("inode", "BIGINT"), ("device", "BIGINT"), ("doc_id", "VARCHAR NOT NULL")))

# the tables README describes column by column, besides TABLES and documents
ARCHIVE_TABLES: tuple[Table, ...] = (DOCUMENT_VALIDITY, CATALOG_ENTRIES, CATALOG_RELATIONS, FLAG_REVIEWS)

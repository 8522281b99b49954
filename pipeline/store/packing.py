"""A document's rows as Arrow tables of the store's column types, made where the document was read.

A worker packs what it found (:func:`pack`), so the one writer only joins each batch's tables and
inserts them (:func:`pipeline.store.load_batch`): no work per row in the writer, which the workers
would otherwise wait for.  The types come from the table specs (:mod:`.tables`), so the tables of
every document of a batch have one schema.  A number too large for its column (money of 9.2 × 10¹⁸
đồng and more, which an Arrow int64 cannot carry) is stored as null, and the document's ``error``
says which.
"""
from __future__ import annotations

import functools
from typing import Any

from .tables import BY_NAME, WHERE_COLUMNS, TableSpec, search_key

# the bits of each integer type a column may hold (HUGEINT columns get int64 Arrow arrays)
INT_BITS = {"TINYINT": 7, "SMALLINT": 15, "INTEGER": 31, "BIGINT": 63, "HUGEINT": 63, "UBIGINT": 63}


def _base(sql_type: str) -> str:
    return sql_type.split()[0].upper()


def column_types(spec: TableSpec) -> dict[str, str]:
    """Each column of ``spec`` with its SQL type, without NOT NULL ('HUGEINT NOT NULL' → 'HUGEINT')."""
    keys = {"doc_id": "VARCHAR", spec.key: "INTEGER", **{c: "INTEGER" for c in spec.also_key}}
    fields = {f.column: _base(f.sql_type) for f in spec.fields}
    where = {c: _base(t) for c, t in WHERE_COLUMNS} if spec.spans else {}
    types = {**keys, **fields, **where}
    return {c: types[c] for c in spec.columns}


def _arrow_type(sql_type: str):
    import pyarrow as pa

    if sql_type.endswith("[]"):
        return pa.list_(_arrow_type(sql_type[:-2]))
    return {"VARCHAR": pa.string(), "BOOLEAN": pa.bool_(), "DATE": pa.date32(), "DOUBLE": pa.float64(),
            "TINYINT": pa.int8(), "SMALLINT": pa.int16(), "INTEGER": pa.int32(), "BIGINT": pa.int64(),
            "HUGEINT": pa.int64(), "UBIGINT": pa.int64()}[sql_type]


_SCHEMAS: dict[str, Any] = {}


def schema(table: str):
    """The Arrow schema of a table of per-document rows (its spec's columns, in order)."""
    if table not in _SCHEMAS:
        import pyarrow as pa

        _SCHEMAS[table] = pa.schema([(c, _arrow_type(t)) for c, t in column_types(BY_NAME[table]).items()])
    return _SCHEMAS[table]


def fit_ranges(table: str, records: list[dict]) -> list[str]:
    """Set to null each integer too large for its column (in place); returns what was nulled."""
    bounds = [(c, INT_BITS[t]) for c, t in column_types(BY_NAME[table]).items() if t in INT_BITS]
    notes = []
    for r in records:
        for col, bits in bounds:
            v = r.get(col)
            if isinstance(v, int) and not -(1 << bits) <= v < (1 << bits):
                r[col] = None
                notes.append(f"{table}.{col} {float(v):.3g}")
    return notes


def arrow_rows(table: str, records: list[dict]):
    """``records`` (dicts) as one Arrow table of ``table``'s schema (their integers already fit): converted
    as one struct array, by Arrow's own converter (8x cheaper than a Python list per column)."""
    import pyarrow as pa

    sch = schema(table)
    return pa.Table.from_batches([pa.RecordBatch.from_struct_array(pa.array(records, type=_struct(table)))], schema=sch)


@functools.cache
def _struct(table: str):
    """The struct type of a row of ``table`` (made once: making it costs more than converting a few rows)."""
    import pyarrow as pa

    return pa.struct(schema(table))


def fitted_rows(table: str, records: list[dict]):
    """(:func:`arrow_rows` of ``records``, what :func:`fit_ranges` nulled): the records are converted as they
    are, and only when a number does not fit its column (Arrow's bounds are the columns') are they fitted first."""
    try:
        return arrow_rows(table, records), []
    except (ValueError, OverflowError):   # pyarrow.ArrowInvalid is a ValueError; a wrong type is raised again below
        notes = fit_ranges(table, records)
        return arrow_rows(table, records), notes


def pack(doc: dict, rows: dict[str, Any]) -> tuple[dict, dict[str, Any]]:
    """The document row, with its folded ``search_text``, and its rows as Arrow tables (what is already
    packed stays as it is); the document's ``error`` names the numbers stored as null.  Done by the
    worker, so the one writer does neither."""
    if "search_text" not in doc:
        doc = {**doc, "search_text": search_key(doc.get("text"))}
    notes: list[str] = []
    out = {}
    for table, records in rows.items():
        if not isinstance(records, list) or not records:
            out[table] = records   # packed by the worker, or none
            continue
        out[table], nulled = fitted_rows(table, records)
        notes += nulled
    if notes:
        why = f"values out of range stored as null: {', '.join(notes[:5])}" + (" …" if len(notes) > 5 else "")
        doc = {**doc, "error": f"{doc['error']}; {why}" if doc.get("error") else why}
    return doc, out


def to_wire(rows: dict[str, Any]) -> dict[str, Any]:
    """A packed document's tables as Arrow IPC record batches (bytes, without their schema, which is
    :func:`schema`): what a worker sends the writer through the pool's pipe.  Unpickling the ~28,000 small
    tables of the archive cost the one writer ~0,6 CPU-s; reading the messages back costs ~0,05."""
    import pyarrow as pa

    out = {}
    for table, packed in rows.items():
        if isinstance(packed, pa.Table) and packed.num_rows:
            out[table] = packed.combine_chunks().to_batches()[0].serialize().to_pybytes()
        else:
            out[table] = packed   # none, or dicts the worker could not pack
    return out


def from_wire(rows: dict[str, Any]) -> dict[str, Any]:
    """The tables of :func:`to_wire` again."""
    import pyarrow as pa

    return {table: pa.Table.from_batches([pa.ipc.read_record_batch(pa.py_buffer(b), schema(table))])
            if isinstance(b, bytes) else b for table, b in rows.items()}

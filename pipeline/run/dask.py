"""Past one machine: the per-document work on a Dask cluster, results as Parquet partitioned by province.

Each Dask task reads and extracts a chunk of files and writes one Parquet file per table and
province (``DIR/<table>/province=<name>/part-<chunk>.parquet``).  The single writer then loads
every part into DuckDB, replacing the rows of the documents (and paths) it holds; the Parquet
tree stays where it is for querying in place (``read_parquet('DIR/citations/**/*.parquet',
hive_partitioning = true)``).  Without a scheduler address a LocalCluster is started.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from ..store.tables import path_rows
from ..store import DOCUMENT_COLUMNS, ROW_TABLES, document_row, delete_documents, mark_flags_stale, transaction
from ..ingest.sources import source_path
from .work import Options, Outcome, work

UNKNOWN = "_unknown"
CHUNK = 16


def _safe(province: str | None) -> str:
    return (province or UNKNOWN).replace("/", "_")


def process_chunk(paths: list, loaded: frozenset[str], out: str, chunk_id: int,
                  options: Options = Options()) -> list[tuple[str, str | None, dict | None]]:
    """Run on a Dask worker: extract the files, write their rows as Parquet, return a summary per file."""
    import datetime as dt

    outcomes = [work(p, loaded, options) for p in paths]
    now = dt.datetime.now()
    frames: dict[str, list[dict]] = {t: [] for t in ("documents", *ROW_TABLES)}
    summary = []
    for o in outcomes:
        if o.doc is None:
            summary.append((str(o.path), o.skipped_id, None))
            continue
        prov = _safe(o.doc.get("province"))
        frames["documents"].append({**document_row(o.doc, now), "_province": prov})
        for table, rows in {**o.rows, "document_paths": path_rows(o.doc)}.items():
            frames[table].extend({**r, "_province": prov} for r in rows)
        summary.append((str(o.path), None, {"status": o.doc["status"], "format": o.doc["format"], "error": o.doc.get("error"),
                                            "n_citations": len(o.rows.get("citations", ())),
                                            "n_figures": {t: len(r) for t, r in o.rows.items() if t != "citations"}}))
    for table, rows in frames.items():
        if not rows:
            continue
        columns = (DOCUMENT_COLUMNS if table == "documents" else ROW_TABLES[table])
        frame = pd.DataFrame(rows, columns=[*columns, "_province"])
        for prov, part in frame.groupby("_province"):
            target = Path(out) / table / f"province={prov}"
            target.mkdir(parents=True, exist_ok=True)
            drop = ["_province", "province"] if table == "documents" else ["_province"]   # the folder says it
            part.drop(columns=drop).to_parquet(target / f"part-{chunk_id:06d}.parquet", index=False)
    return summary


def run_dask(con: duckdb.DuckDBPyConnection, files: list[Path], loaded: frozenset[str],
             record: Callable[[Outcome], None], scheduler: str | None, workers: int | None, parquet_dir: Path,
             options: Options = Options()) -> None:
    """``parquet_dir`` is a folder vanban owns (it creates it with a marker, and refuses one it did
    not create); chunks land in a staging folder inside it, and after loading the tree is written
    again from the database, so it always mirrors it.  Files whose bytes are loaded are skipped
    without a cluster; with nothing to read, no cluster is started."""
    from ..store import Index
    from ..store.outputs import OutputError, owned_folder
    from .local import _digest

    if not owned_folder(parquet_dir):
        raise OutputError(f"{parquet_dir}: exists and was not created by vanban; choose another --parquet-dir")
    index = Index(con)
    todo = []
    for path in files:
        doc_id = _digest(path) if source_path(path) in index.by_path else None
        if doc_id is not None and doc_id in loaded:
            record(Outcome(path, None, skipped_id=doc_id))
        else:
            todo.append(path)
    if todo:
        staging = parquet_dir / f".incoming-{os.getpid()}"
        if staging.exists():
            shutil.rmtree(staging)   # inside vanban's own folder: a killed run's leftovers
        staging.mkdir()
        try:
            _on_cluster(todo, loaded, record, scheduler, workers, staging, options)
            load_parquet(con, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    if todo or not (parquet_dir / "documents").exists():
        mirror(con, parquet_dir)


def _on_cluster(files, loaded, record, scheduler, workers, staging: Path, options: Options) -> None:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        chunks = [files[i:i + CHUNK] for i in range(0, len(files), CHUNK)]
        loaded_f = client.scatter([loaded], broadcast=True)[0]   # one object, sent to every worker once
        futures = [client.submit(process_chunk, c, loaded_f, str(staging.resolve()), i, options, pure=False)
                   for i, c in enumerate(chunks)]
        for fut in as_completed(futures):   # the progress moves with every finished chunk
            for path, skipped_id, info in sorted(fut.result(), key=lambda x: x[0]):
                if skipped_id is not None:
                    record(Outcome(Path(path), None, skipped_id=skipped_id))
                else:
                    doc = {"status": info["status"], "format": info["format"], "error": info["error"]}
                    rows = {"citations": [None] * info["n_citations"],
                            **{t: [None] * n for t, n in info["n_figures"].items()}}
                    record(Outcome(Path(path), doc, rows))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def mirror(con: duckdb.DuckDBPyConnection, parquet_dir: Path) -> None:
    """Write every table of documents again as ``parquet_dir/<table>/province=<name>/data_0.parquet``.

    The rows come out of the database as Arrow and are written by pyarrow, one province at a time:
    the writer's connection is sandboxed and touches no file but its database.  Money (HUGEINT)
    is written as BIGINT, as by ``vanban export``."""
    import pyarrow.parquet as pq

    for table in ("documents", *ROW_TABLES):
        target = parquet_dir / table
        if target.is_symlink():
            target.unlink()
        elif target.exists():
            shutil.rmtree(target)   # inside the folder vanban created (checked by run_dask)
        source = "documents t" if table == "documents" else f"{table} t JOIN documents d USING (doc_id)"
        province = f"coalesce({'t' if table == 'documents' else 'd'}.province, '{UNKNOWN}')"
        columns = ", ".join(f't."{c}"::BIGINT AS "{c}"' if ty == "HUGEINT" else f't."{c}"'
                            for c, ty, *_ in con.execute(f"DESCRIBE {table}").fetchall()
                            if not (table == "documents" and c == "province"))   # the folder says it
        for (name,) in con.execute(f"SELECT DISTINCT {province} FROM {source} ORDER BY 1").fetchall():
            rows = con.sql(f"SELECT {columns} FROM {source} WHERE {province} = $p", params={"p": name}).to_arrow_table()
            folder = target / f"province={_safe(name)}"
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(rows, folder / "data_0.parquet")


def load_parquet(con: duckdb.DuckDBPyConnection, parquet_dir: Path) -> None:
    """Load a Parquet tree written by :func:`process_chunk` into the database, in one transaction.

    pyarrow reads the files; DuckDB gets them as registered Arrow tables (its connection reads no file)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def parts(table: str):
        for f in sorted((parquet_dir / table).glob("province=*/*.parquet")):
            yield f.parent.name.partition("=")[2], pq.read_table(f)

    def insert(table: str, columns: list[str], part: pa.Table, province: str | None = None) -> None:
        cols = ", ".join(columns)
        con.register("_part", part)
        try:
            if province is None:
                con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _part")
            else:
                picked = cols.replace("province,", f"nullif(province, '{UNKNOWN}'),", 1)
                con.execute(f"INSERT INTO {table} ({cols}) SELECT {picked} FROM (SELECT *, $p AS province FROM _part)",
                            {"p": province})
        finally:
            con.unregister("_part")

    documents = list(parts("documents"))
    if not documents:
        return
    new = pa.table({"doc_id": [i for _, t in documents for i in t.column("doc_id").to_pylist()],
                    "source_path": [p for _, t in documents for p in t.column("source_path").to_pylist()]})
    with transaction(con):
        con.register("_new", new)
        try:
            stale = [r[0] for r in con.execute(
                "SELECT d.doc_id FROM documents d WHERE d.doc_id IN (SELECT doc_id FROM _new) "
                "OR d.source_path IN (SELECT source_path FROM _new)").fetchall()]
        finally:
            con.unregister("_new")
        delete_documents(con, stale)   # the one delete path, shared with the local executor and --prune
        for province, part in documents:
            insert("documents", DOCUMENT_COLUMNS, part, province)
        for table, columns in ROW_TABLES.items():
            for _, part in parts(table):
                insert(table, columns, part)
        mark_flags_stale(con)

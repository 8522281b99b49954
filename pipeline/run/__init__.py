"""Run the stages over an archive: read → normalize → extract → load, then the checks.

``work`` does one file; ``local`` and ``dask`` are the two executors, both storing through
:func:`pipeline.store.load_batch` (the dask one through Parquet, :func:`pipeline.run.dask.load_parquet`).
"""
from __future__ import annotations

import collections
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from ..ingest.sources import Source, iter_sources, source_path
from ..store import (PIPELINE_VERSION, connect, flags_stale, known_stats, prune_documents, record_stats,
                     relocate_documents, stat_key)
from .local import run_local
from .work import DocResult, Options, Outcome, process, work

__all__ = ["DocResult", "Options", "Outcome", "RunSummary", "process", "run", "work"]


@dataclass
class RunSummary:
    results: list[DocResult] = field(default_factory=list)
    flags: collections.Counter = field(default_factory=collections.Counter)
    pruned: int = 0
    documents: int = 0   # documents read in the database after the run (what the flags are counted over)

    @property
    def n_ok(self) -> int:
        return sum(1 for r in self.results if r.status == "ok")


def run(paths: list[Path], db_path: Path, on_doc: Callable[[DocResult], None] | None = None,
        files: list[Path] | None = None, catalog_files: Sequence[Path] = (), workers: int | None = None,
        batch_docs: int = 256, prune: bool = False, executor: str = "local", scheduler: str | None = None,
        parquet_dir: Path | None = None, options: Options = Options(), retry_failed: bool = False,
        include_articles: bool = False, on_stage: Callable[[str], None] | None = None) -> RunSummary:
    """Load every file (in parallel, one writer, in batches), then recompute the consistency flags.

    A file whose bytes are already loaded is skipped; a changed file replaces its old rows;
    with ``prune``, documents whose file is gone from under ``paths`` are deleted.  Each batch is
    one transaction, so an interrupted run keeps every whole batch and a re-run finishes the rest.
    A file that timed out or whose worker failed is read again by the next run (with
    ``retry_failed``, every file whose row is not ``ok``).  A file moved under the given paths keeps
    its rows under its new path.  ``include_articles``: the checks that need a document's own date also
    read portal articles (see ``checks.Scope``).  ``on_stage`` hears ``"loading"`` (opening the database, starting the
    workers: before the first file), ``"reading"`` (at the first file) and ``"flags"``.
    """
    stage = on_stage or (lambda name: None)
    stage("loading")
    con = connect(db_path)
    summary = RunSummary()
    files = list(files if files is not None else iter_sources(paths))
    try:
        rows = con.execute("SELECT doc_id, status, format, error, source_path FROM documents WHERE pipeline_version = ?",
                           [PIPELINE_VERSION]).fetchall()
        known = {r[0]: (r[1], r[2], r[3]) for r in rows}
        stored_at = {r[0]: r[4] for r in rows}
        loaded = frozenset(i for i, (status, _, error) in known.items()
                           if not (retry(status, error) or (retry_failed and status != "ok")))
        moved: dict[str, str] = {}
        present = {source_path(f) for f in files}
        stats: dict[str, tuple] = {}              # path → its stat, taken before any worker reads it
        seen: dict[str, tuple[tuple, str]] = {}   # path → (that stat, the id of the bytes it held)

        def record(o: Outcome) -> None:
            path = source_path(o.path)
            if o.skipped_id is not None:
                status, fmt, error = known[o.skipped_id]
                if stored_at[o.skipped_id] not in present:   # its stored path is gone: it may have moved here
                    moved.setdefault(o.skipped_id, path)
                result = DocResult(o.path, status, fmt, error, skipped=True)
                if path in stats:
                    seen[path] = (stats[path], o.skipped_id)
            else:
                for p in (path, *map(source_path, o.doc.get("extra_paths", ()))):   # the same bytes
                    if p in stats and o.doc.get("doc_id"):
                        seen[p] = (stats[p], o.doc["doc_id"])
                result = DocResult(o.path, o.doc["status"], o.doc["format"], o.doc.get("error"),
                                   len(o.rows.get("citations", ())),
                                   n_figures={t: len(r) for t, r in o.rows.items() if t != "citations"})
            if not summary.results:
                stage("reading")
            summary.results.append(result)
            if on_doc:
                on_doc(result)

        files = _unchanged(files, known_stats(con), loaded, record, stats)
        if executor == "dask":
            from .dask import run_dask
            run_dask(con, files, loaded, record, scheduler=scheduler, workers=workers,
                     parquet_dir=parquet_dir / "vanban-parquet" if parquet_dir else db_path.with_suffix(".parquet"),
                     options=options)
        else:
            run_local(con, files, loaded, record, workers or os.cpu_count() or 1, batch_docs, options)
        record_stats(con, seen)
        relocate_documents(con, {i: p for i, p in moved.items()}, present)
        if prune:
            summary.pruned = prune_documents(con, paths, present)
        if catalog_files or include_articles or flags_stale(con):
            stage("flags")
            from ..checks import compute_flags   # the rules and their vocabulary load only when there is work
            summary.flags = compute_flags(con, catalog_files, include_articles=include_articles)
        else:   # nothing loaded or removed since the flags were computed
            summary.flags = collections.Counter(dict(con.execute("SELECT kind, count(*) FROM flags GROUP BY 1").fetchall()))
        summary.documents = con.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone()[0]
    finally:
        con.close()
    return summary



# a file changed this close to being looked at may change again within the same clock tick: not remembered
RACY_NS = 2 * 10**9


def _unchanged(files: list[Source], recorded: dict[str, tuple], loaded: frozenset[str],
               record: Callable[[Outcome], None], stats: dict[str, tuple]) -> list[Source]:
    """Skip, without reading or hashing it, each file whose stat is the one recorded when its bytes were last
    read (or hashed) and whose bytes are loaded; returns the other files, and puts the stat of each in
    ``stats`` (path → key), taken before any worker reads it, for :func:`pipeline.store.record_stats`.  Any
    difference of size, times, inode or device and the bytes are hashed again."""
    rest = []
    now = time.time_ns()
    for f in files:
        if isinstance(f, Path):
            path = source_path(f)
            try:
                key = stat_key(os.stat(f))
            except OSError:
                rest.append(f)
                continue
            old = recorded.get(path)
            if old is not None and old[0] == key and old[1] in loaded:
                record(Outcome(f, None, skipped_id=old[1]))
                continue
            if now - max(key[1], key[2]) > RACY_NS:
                stats[path] = key
        rest.append(f)
    return rest


# rows a run left because of the run, not the file: read again by the next run
RETRIED = ("extraction failed", "worker process", "could not be stored", "stopped after")


def retry(status: str, error: str | None) -> bool:
    return status == "timeout" or (status == "unreadable" and (error or "").startswith(RETRIED))

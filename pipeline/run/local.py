"""The local executor: files in a pool of processes, one writer storing them in batches."""
from __future__ import annotations

import concurrent.futures
import hashlib
import itertools
import signal
from pathlib import Path
from typing import Callable

import duckdb

from ..ingest.sources import Source
from ..store import Index, load_batch
from .work import Options, Outcome, work


def store_one_by_one(con, batch: list[tuple[dict, dict]]) -> None:
    """A batch the database refused: each document alone, and one that still fails is stored as
    a row that says why (the rest of the batch is not lost with it)."""
    for doc, rows in batch:
        try:
            load_batch(con, [(doc, rows)])
        except duckdb.Error as e:
            load_batch(con, [({"doc_id": doc["doc_id"], "source_path": doc["source_path"], "format": doc.get("format"),
                               "status": "unreadable", "error": f"could not be stored: {str(e).splitlines()[0][:160]}"}, {})])


def _digest(path: Source) -> str | None:
    if not isinstance(path, Path):
        return None   # zip entries and refused inputs are hashed (or not) by the worker
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


def _first_of_each_bytes(files: list[Source], extra: dict[str, list[str]]) -> list[Source]:
    """The files to extract: of files with identical bytes, only the first (the later paths go to
    ``extra``, and into ``document_paths`` with it).  Only files of a size seen twice are hashed here."""
    sizes: dict[int, int] = {}
    stat = {}
    for p in files:
        if isinstance(p, Path):
            try:
                stat[p] = p.stat().st_size
            except OSError:
                continue
            sizes[stat[p]] = sizes.get(stat[p], 0) + 1
    first: dict[str, Source] = {}
    out = []
    for p in files:
        if p in stat and sizes[stat[p]] > 1 and (digest := _digest(p)) is not None:
            if digest in first:
                extra.setdefault(str(first[digest]), []).append(str(p))
                continue
            first[digest] = p
        out.append(p)
    return out


_LOADED: frozenset[str] = frozenset()
_OPTIONS = Options()


def _init_worker(loaded: frozenset[str], options: Options) -> None:
    global _LOADED, _OPTIONS
    _LOADED, _OPTIONS = loaded, options
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C stops the writer, which keeps what is done


def _work_in_pool(path: Source) -> Outcome:
    return work(path, _LOADED, _OPTIONS)


def run_local(con, files: list[Source], loaded: frozenset[str], record: Callable[[Outcome], None], workers: int,
               batch_docs: int, options: Options) -> None:
    batch: list[tuple[dict, dict]] = []
    pending: list[Outcome] = []
    index = Index(con)

    n_rows = 0

    extra: dict[str, list[str]] = {}   # first path of some bytes → the later paths of the same bytes

    def take(o: Outcome) -> None:
        nonlocal n_rows
        if o.doc is not None:
            if str(o.path) in extra:
                o.doc["extra_paths"] = extra.pop(str(o.path))
            batch.append((o.doc, o.rows))
            n_rows += sum(len(r) for r in o.rows.values())
        pending.append(o)
        if len(batch) >= batch_docs or n_rows > 50_000:
            flush()

    def flush() -> None:
        nonlocal n_rows
        n_rows = 0
        try:
            load_batch(con, batch, index)
        except duckdb.Error:
            store_one_by_one(con, batch)
            index.refresh(con)   # the batch was rolled back and stored one by one: read what is there
        batch.clear()
        for o in pending:   # reported once their batch is in the database
            record(o)
        pending.clear()

    todo = []
    for path in files:   # bytes already loaded are known here, without starting a worker
        # a path the database has never seen goes straight to a worker, which hashes it anyway
        doc_id = _digest(path) if str(path) in index.by_path else None
        if doc_id is not None and doc_id in loaded:
            record(Outcome(path, None, skipped_id=doc_id))
        else:
            todo.append(path)
    files = _first_of_each_bytes(todo, extra)
    try:
        if not files:
            return
        if workers <= 1 or len(files) == 1:
            for path in files:
                take(work(path, loaded, options))
        else:
            with concurrent.futures.ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(loaded, options)) as pool:
                window = 4 * workers     # files in flight: memory stays flat however large the archive
                it = iter(files)
                running = {pool.submit(_work_in_pool, p) for p in itertools.islice(it, window)}
                while running:
                    done, running = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
                    for fut in done:
                        take(fut.result())
                    running |= {pool.submit(_work_in_pool, p) for p in itertools.islice(it, len(done))}
    finally:
        flush()

"""The local executor: files in a pool of processes, one writer storing them in batches."""
from __future__ import annotations

import concurrent.futures
import hashlib
import itertools
import signal
from pathlib import Path
from typing import Callable

import duckdb

from ..ingest.sources import Source, source_path
from ..store import Index, StoreError, load_batch
from ..store.packing import from_wire, pack, to_wire
from .limits import die_with_parent, memory_ceiling, wall_budget
from .work import Options, Outcome, preload, work

# what a batch the database refuses can raise (a value Arrow cannot carry, a constraint)
STORE_ERRORS: tuple[type[BaseException], ...] = (duckdb.Error, OverflowError, TypeError, ValueError)


def _database_gone(e: BaseException) -> bool:
    """The database itself failed (disk full, read-only folder, invalidated): no document can be stored."""
    text = str(e).lower()
    return isinstance(e, (duckdb.IOException, duckdb.FatalException)) or "invalidated" in text or \
        "no space left" in text or "file too large" in text


def store_one_by_one(con, batch: list[tuple[dict, dict]]) -> None:
    """A batch the database refused: each document alone, and one that still fails is stored as
    a row that says why (the rest of the batch is not lost with it)."""
    for doc, rows in batch:
        try:
            load_batch(con, [(doc, rows)])
        except STORE_ERRORS as e:
            if _database_gone(e):
                raise
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
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()
    memory_ceiling()


def _work_in_pool(path: Source) -> Outcome:
    """One file, its rows packed as Arrow tables here (the writer then does no work per row)."""
    o = work(path, _LOADED, _OPTIONS)
    if o.doc is not None:
        try:
            o.doc, o.rows = pack(o.doc, o.rows)
        except (TypeError, ValueError, OverflowError, ArithmeticError):   # pyarrow.ArrowInvalid is a ValueError
            pass   # sent as dicts: the writer packs them, and stores the document alone if that fails
        o.rows = to_wire(o.rows)
    return o


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
            o.rows = from_wire(o.rows)
            if str(o.path) in extra:
                o.doc["extra_paths"] = extra.pop(str(o.path))
            batch.append((o.doc, o.rows))
            n_rows += sum(len(r) for r in o.rows.values())
        pending.append(o)
        if o.skipped_id is not None:   # its bytes are loaded: so are those of the later paths with the same bytes
            pending.extend(Outcome(Path(p), None, skipped_id=o.skipped_id) for p in extra.pop(str(o.path), ()))
        if len(batch) >= batch_docs or n_rows > 50_000:
            flush()

    def flush() -> None:
        nonlocal n_rows
        n_rows = 0
        try:
            try:
                load_batch(con, batch, index)
            except STORE_ERRORS as e:
                if _database_gone(e):
                    raise
                store_one_by_one(con, batch)
                index.refresh(con)   # the batch was rolled back and stored one by one: read what is there
        except STORE_ERRORS as e:
            batch.clear()
            pending.clear()
            raise StoreError(f"cannot write the database ({str(e).splitlines()[0][:200]}); "
                             "documents of earlier batches are kept") from None
        batch.clear()
        for o in pending:   # reported once their batch is in the database
            record(o)
        pending.clear()

    todo = []
    for path in files:   # bytes already loaded are known here, without starting a worker
        # a path the database has never seen goes straight to a worker, which hashes it anyway
        doc_id = _digest(path) if source_path(path) in index.by_path else None
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
            preload()
            suspects = _pool(files, loaded, options, workers, take)
            for path in suspects:   # each file in flight when a worker died, alone in a fresh worker
                take(_isolated(path, loaded, options))
    finally:
        flush()


def _new_pool(workers: int, loaded: frozenset[str], options: Options) -> concurrent.futures.ProcessPoolExecutor:
    return concurrent.futures.ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(loaded, options))


def _pool(files: list[Source], loaded: frozenset[str], options: Options, workers: int,
          take: Callable[[Outcome], None]) -> list[Source]:
    """Every file through a pool of workers; a dead worker's pool is replaced.  Returns the files that
    were in flight when a worker died (one of them killed it), to be read again one by one."""
    window = 4 * workers     # files in flight: memory stays flat however large the archive
    it = iter(files)
    suspects: list[Source] = []
    pool = _new_pool(workers, loaded, options)
    try:
        running = {pool.submit(_work_in_pool, p): p for p in itertools.islice(it, window)}
        while running:
            done, _ = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
            broken = False
            for fut in done:
                path = running.pop(fut)
                try:
                    take(fut.result())
                except concurrent.futures.process.BrokenProcessPool:
                    suspects.append(path)
                    broken = True
            if broken:   # every file still in flight fails with it: read them again, in a new pool
                suspects.extend(running.values())
                running.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _new_pool(workers, loaded, options)
            for p in itertools.islice(it, window - len(running)):
                running[pool.submit(_work_in_pool, p)] = p
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return suspects


def _child(conn, path: Source, loaded: frozenset[str], options: Options) -> None:
    _init_worker(loaded, options)
    conn.send(work(path, loaded, options))
    conn.close()


def _isolated(path: Source, loaded: frozenset[str], options: Options) -> Outcome:
    """One file in a process of its own; if that process dies too, the file's row says so."""
    import multiprocessing as mp
    import time

    ctx = mp.get_context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, path, loaded, options), daemon=True)
    proc.start()
    child.close()
    limit = wall_budget(path, options) * 1.5 + 30 if options.timeout else None
    started = time.monotonic()
    outcome = None
    while outcome is None and proc.is_alive() or parent.poll():
        if parent.poll(0.2):
            try:
                outcome = parent.recv()
            except EOFError:
                break
        if limit and time.monotonic() - started > limit:
            proc.kill()
            break
    proc.join(5)
    if outcome is not None:
        return outcome
    code = proc.exitcode
    if code is not None and code < 0 and -code in (signal.SIGXCPU, signal.SIGKILL) and limit and time.monotonic() - started > limit * 0.6:
        status, why = "timeout", "stopped: over its CPU budget (--timeout)"
    else:
        how = f"killed by signal {-code} ({signal.Signals(-code).name})" if code and code < 0 else f"exit code {code}"
        status, why = "unreadable", f"worker process died reading it ({how}; out of memory or a crash in a library)"
    return Outcome(path, {"doc_id": f"unreadable:{source_path(path)}", "source_path": source_path(path),
                          "format": "unknown", "status": status, "error": why}, {})

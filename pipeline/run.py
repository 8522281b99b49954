"""Run the stages over an archive: read → normalize → extract → load."""
from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import hashlib
import itertools
import os
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import duckdb

from .check import compute_flags
from .inputs import Refused, Source, iter_sources
from .load import PIPELINE_VERSION, Index, connect, flags_stale, load_batch, prune_documents
from .read import RawDocument, ReadError, read_document

@dataclass(frozen=True)
class Options:
    """How each file is read: OCR mode and the time one file may take."""

    ocr: str = "auto"
    timeout: float | None = 300.0


class FileTimeout(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Stop the work on one file after ``seconds`` (only where signals can be used: a process's main thread)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise FileTimeout()

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@dataclass
class DocResult:
    path: Path
    status: str
    format: str
    error: str | None = None
    n_citations: int = 0
    skipped: bool = False
    n_figures: dict[str, int] = field(default_factory=dict)


def process(raw: RawDocument) -> tuple[dict, dict[str, list[dict]]]:
    """The rows of one document (pure apart from the read that produced ``raw``)."""
    from .extract import citation_rows, extract, figure_rows   # the extractors load when there is work
    from .normalize import normalize

    ocr_pages = frozenset(p + 1 for p in raw.ocr_pages)
    doc = {"doc_id": raw.doc_id, "source_path": str(raw.path), "format": raw.format, "status": raw.status,
           "error": raw.error, "n_pages": len(raw.pages) or None, "text_source": raw.text_source,
           "ocr_pages": sorted(ocr_pages) or None}
    if raw.status not in ("ok", "garbled_text_layer"):
        return doc, {}
    norm = normalize(raw.raw_text, raw.format, raw.page_starts)
    if not norm.text.strip():
        doc.update(status="empty", error="no text left after removing page furniture")
        return doc, {}
    ex = extract(norm, raw.tables)
    m = ex.meta
    doc.update(province=m.province, province_source=m.province_source, doc_type=m.doc_type, ref=m.ref,
               issue_date=m.issue_date, issue_date_not_before=m.issue_date_not_before, issuer=m.issuer,
               signer=m.signer, signer_title=m.signer_title, subject=m.subject, recipients=list(m.recipients),
               n_chars=len(norm.text), text=norm.text)
    if raw.status != "ok":
        return doc, {}  # metadata from the readable parts only; no citations or figures from a garbled layer
    return doc, {"citations": citation_rows(raw.doc_id, norm, ex.citations, ocr_pages),
                 **figure_rows(raw.doc_id, norm, ex, ocr_pages)}


@dataclass
class RunSummary:
    results: list[DocResult] = field(default_factory=list)
    flags: collections.Counter = field(default_factory=collections.Counter)
    pruned: int = 0

    @property
    def n_ok(self) -> int:
        return sum(1 for r in self.results if r.status == "ok")


@dataclass
class Outcome:
    """What a worker sends back for one file: its rows, or that its bytes are already loaded."""

    path: Path
    doc: dict | None
    rows: dict[str, list[dict]] = field(default_factory=dict)
    skipped_id: str | None = None


def work(path: Source, loaded: frozenset[str] = frozenset(), options: Options = Options()) -> Outcome:
    """Read and extract one file (in whichever process runs it); never raises for a bad file."""
    def failed(status: str, error: str, doc_id: str | None = None, fmt: str = "unknown") -> Outcome:
        return Outcome(path, {"doc_id": doc_id or f"unreadable:{path}", "source_path": str(path), "format": fmt,
                              "status": status, "error": error}, {})

    if isinstance(path, Refused):
        return failed(path.status, path.reason)
    try:
        data = path.read_bytes()
    except ReadError as e:
        return failed(e.status, str(e))
    except OSError as e:
        return failed("unreadable", f"cannot open: {e.strerror or e}")
    except Exception as e:  # noqa: BLE001 - a zip entry can fail in many ways; the row says how
        return failed("unreadable", f"cannot read: {type(e).__name__}: {e}")
    doc_id = hashlib.sha256(data).hexdigest()
    if doc_id in loaded:
        return Outcome(path, None, skipped_id=doc_id)
    raw = None
    try:
        with time_limit(options.timeout):
            raw = read_document(path, data, options.ocr)
            doc, rows = process(raw)
    except FileTimeout:
        return failed("timeout", f"stopped after {options.timeout:g} s (--timeout); the rest of the run went on",
                      doc_id, raw.format if raw else "unknown")
    except Exception as e:  # noqa: BLE001 - one bad file must not stop the batch; the error is recorded
        return failed("unreadable", f"extraction failed: {type(e).__name__}: {e}", doc_id, raw.format if raw else "unknown")
    if not doc["doc_id"]:
        doc["doc_id"] = f"unreadable:{path}"
    return Outcome(path, doc, rows)


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


_LOADED: frozenset[str] = frozenset()
_OPTIONS = Options()


def _init_worker(loaded: frozenset[str], options: Options) -> None:
    global _LOADED, _OPTIONS
    _LOADED, _OPTIONS = loaded, options
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C stops the writer, which keeps what is done


def _work_in_pool(path: Source) -> Outcome:
    return work(path, _LOADED, _OPTIONS)


def run(paths: list[Path], db_path: Path, on_doc: Callable[[DocResult], None] | None = None,
        files: list[Path] | None = None, catalog_files: Sequence[Path] = (), workers: int | None = None,
        batch_docs: int = 64, prune: bool = False, executor: str = "local", scheduler: str | None = None,
        parquet_dir: Path | None = None, options: Options = Options()) -> RunSummary:
    """Load every file (in parallel, one writer, in batches), then recompute the consistency flags.

    A file whose bytes are already loaded is skipped; a changed file replaces its old rows;
    with ``prune``, documents whose file is gone from under ``paths`` are deleted.  Each batch is
    one transaction, so an interrupted run keeps every whole batch and a re-run finishes the rest.
    """
    con = connect(db_path)
    summary = RunSummary()
    files = list(files if files is not None else iter_sources(paths))
    try:
        known = {r[0]: (r[1], r[2], r[3]) for r in con.execute(
            "SELECT doc_id, status, format, error FROM documents WHERE pipeline_version = ?", [PIPELINE_VERSION]).fetchall()}
        loaded = frozenset(known)

        def record(o: Outcome) -> None:
            if o.skipped_id is not None:
                status, fmt, error = known[o.skipped_id]
                result = DocResult(o.path, status, fmt, error, skipped=True)
            else:
                result = DocResult(o.path, o.doc["status"], o.doc["format"], o.doc.get("error"),
                                   len(o.rows.get("citations", ())),
                                   n_figures={t: len(r) for t, r in o.rows.items() if t != "citations"})
            summary.results.append(result)
            if on_doc:
                on_doc(result)

        if executor == "dask":
            from .distributed import run_dask
            run_dask(con, files, loaded, record, scheduler=scheduler, workers=workers,
                     parquet_dir=parquet_dir or db_path.with_suffix(".parquet"), options=options)
        else:
            _run_local(con, files, loaded, record, workers or os.cpu_count() or 1, batch_docs, options)
        if prune:
            summary.pruned = prune_documents(con, paths, {str(f) for f in files})
        if catalog_files or flags_stale(con):
            summary.flags = compute_flags(con, catalog_files)
        else:   # nothing loaded or removed since the flags were computed
            summary.flags = collections.Counter(dict(con.execute("SELECT kind, count(*) FROM flags GROUP BY 1").fetchall()))
    finally:
        con.close()
    return summary


def _run_local(con, files: list[Source], loaded: frozenset[str], record: Callable[[Outcome], None], workers: int,
               batch_docs: int, options: Options) -> None:
    batch: list[tuple[dict, dict]] = []
    pending: list[Outcome] = []
    index = Index(con)

    n_rows = 0

    def take(o: Outcome) -> None:
        nonlocal n_rows
        if o.doc is not None:
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
    files = todo
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

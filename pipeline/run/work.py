"""The work on one file, in whichever process runs it: read → normalize → extract → rows."""
from __future__ import annotations

import contextlib
import hashlib
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .limits import MEMORY_MB, budget, cpu_limit
from ..ingest.raw import RawDocument, ReadError
from ..ingest.sources import Refused, Source, source_path


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
    from ..store.rows import citation_rows, extract, figure_rows   # the extractors load when there is work
    from ..normalize import normalize

    ocr_pages = frozenset(p + 1 for p in raw.ocr_pages)
    doc = {"doc_id": raw.doc_id, "source_path": source_path(raw.path), "format": raw.format, "status": raw.status,
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
               issue_date=m.issue_date, issue_date_source=m.issue_date_source, official=m.official, issue_date_not_before=m.issue_date_not_before, issuer=m.issuer,
               signer=m.signer, signer_title=m.signer_title, subject=m.subject, recipients=list(m.recipients),
               n_chars=len(norm.text), text=norm.text)
    if raw.status != "ok":
        return doc, {}  # metadata from the readable parts only; no citations or figures from a garbled layer
    return doc, {"citations": citation_rows(raw.doc_id, norm, ex.citations, ocr_pages),
                 **figure_rows(raw.doc_id, norm, ex, ocr_pages)}


def preload() -> None:
    """Import the readers of text and the extractors, and load the tagger's models, in the process that then
    starts the workers: forked, they share them instead of each importing them again (~0,9 CPU-s a worker),
    and the checks after the run find the extractors they use already loaded."""
    from ..ingest import read, text  # noqa: F401
    from ..store import rows  # noqa: F401
    from .. import normalize  # noqa: F401
    from extractors.figures import _tag
    _tag("tổ chức 5 cuộc kiểm tra")


def read_document(path: Source, data: bytes, ocr: str) -> RawDocument:
    """:func:`pipeline.ingest.read.read_document`, whose readers load when there is a file to read (an
    unchanged re-run never imports them)."""
    from ..ingest.read import read_document as read
    return read(path, data, ocr)


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
        return Outcome(path, {"doc_id": doc_id or f"unreadable:{source_path(path)}", "source_path": source_path(path), "format": fmt,
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
    seconds = budget(len(data), options.timeout)
    cpu_limit(seconds)
    try:
        with time_limit(seconds):
            raw = read_document(path, data, options.ocr)
            doc, rows = process(raw)
    except FileTimeout:
        return failed("timeout", f"stopped after {seconds:g} s (its budget for {len(data) / 2**20:.1f} MB, at most "
                                 f"--timeout); the rest of the run went on", doc_id, raw.format if raw else "unknown")
    except MemoryError:
        return failed("unreadable", f"extraction failed: over the memory ceiling of a worker "
                                    f"({MEMORY_MB} MB)", doc_id, raw.format if raw else "unknown")
    except Exception as e:  # noqa: BLE001 - one bad file must not stop the batch; the error is recorded
        return failed("unreadable", f"extraction failed: {type(e).__name__}: {e}", doc_id, raw.format if raw else "unknown")
    if not doc["doc_id"]:
        doc["doc_id"] = f"unreadable:{source_path(path)}"
    return Outcome(path, doc, rows)



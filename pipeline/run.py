"""Run the stages over an archive: read → normalize → extract → load."""
from __future__ import annotations

import collections
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from .check import compute_flags
from .extract import citation_rows, extract, figure_rows
from .load import connect, is_loaded, load_document
from .normalize import normalize
from .read import RawDocument, read_document

SKIP_NAMES = {".DS_Store", "Thumbs.db", ".gitkeep"}


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every file under the given paths, in a stable order; hidden files and symlink loops skipped."""
    for root in paths:
        if root.is_file():
            yield root
            continue
        if not root.is_dir():
            continue
        seen: set[tuple[int, int]] = set()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            st = os.stat(dirpath)
            key = (st.st_dev, st.st_ino)
            if key in seen:
                dirnames[:] = []
                continue
            seen.add(key)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or name in SKIP_NAMES:
                    continue
                yield Path(dirpath) / name


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
    doc = {"doc_id": raw.doc_id, "source_path": str(raw.path), "format": raw.format, "status": raw.status,
           "error": raw.error, "n_pages": len(raw.pages) or None}
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
    return doc, {"citations": citation_rows(raw.doc_id, norm, ex.citations), **figure_rows(raw.doc_id, norm, ex)}


@dataclass
class RunSummary:
    results: list[DocResult] = field(default_factory=list)
    flags: collections.Counter = field(default_factory=collections.Counter)

    @property
    def n_ok(self) -> int:
        return sum(1 for r in self.results if r.status == "ok")


def run(paths: list[Path], db_path: Path, on_doc: Callable[[DocResult], None] | None = None,
        files: list[Path] | None = None, catalog_files: Sequence[Path] = ()) -> RunSummary:
    """Load every file, then recompute the archive's consistency flags."""
    con = connect(db_path)
    summary = RunSummary()
    try:
        for path in files if files is not None else iter_files(paths):
            result = _one(con, path)
            summary.results.append(result)
            if on_doc:
                on_doc(result)
        summary.flags = compute_flags(con, catalog_files)
    finally:
        con.close()
    return summary


def _one(con, path: Path) -> DocResult:
    try:
        data = path.read_bytes()
    except OSError:
        data = None
    if data is not None:
        data_id = hashlib.sha256(data).hexdigest()
        if is_loaded(con, data_id):
            row = con.execute("SELECT status, format, error FROM documents WHERE doc_id = ?", [data_id]).fetchone()
            return DocResult(path, row[0], row[1], row[2], skipped=True)
    raw = read_document(path, data)
    try:
        doc, rows = process(raw)
    except Exception as e:  # noqa: BLE001 - one bad file must not stop the batch; the error is recorded
        doc, rows = ({"doc_id": raw.doc_id or f"unreadable:{path}", "source_path": str(path), "format": raw.format,
                      "status": "unreadable", "error": f"extraction failed: {type(e).__name__}: {e}"}, {})
    if not doc["doc_id"]:
        doc["doc_id"] = f"unreadable:{path}"
    load_document(con, doc, rows)
    return DocResult(path, doc["status"], doc["format"], doc.get("error"), len(rows.get("citations", ())),
                     n_figures={t: len(r) for t, r in rows.items() if t != "citations"})

"""What every rule shares: the sentence a flag quotes, the flag row, its strength, the mentions query."""
from __future__ import annotations

import collections
import dataclasses
import functools
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Iterable, Sequence

from extractors import vocab
from extractors.sentences import sentence, sentence_start

from .keys import ref_key

EVIDENCE_FILES = 20   # other documents named in one flag's evidence (their total is given too)

@functools.cache
def flag_context() -> dict:
    """What the rules must not read as a claim of the text (extractors/vocab/flag_context.yaml), read once."""
    return vocab.load("flag_context.yaml")


class _Texts:
    """Document texts fetched once, for the sentence each flag quotes."""

    def __init__(self, con):
        self.con, self.cache = con, {}

    def text(self, doc_id: str) -> str:
        if doc_id not in self.cache:
            row = self.con.execute("SELECT text FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
            self.cache[doc_id] = (row[0] if row else None) or ""
        return self.cache[doc_id]

    def sentence_start(self, doc_id: str, start: int) -> int:
        """Where the sentence holding ``start`` begins (at most 300 characters back)."""
        return sentence_start(self.text(doc_id), start)

    def before(self, doc_id: str, start: int) -> str:
        """The text of the sentence before ``start``."""
        return self.text(doc_id)[self.sentence_start(doc_id, start):start]

    def sentence(self, doc_id: str, start: int, end: int) -> str:
        return sentence(self.text(doc_id), start, end)


def _file(path: str | None) -> str | None:
    return Path(path).name if path else None


def _d(value) -> str | None:
    return value.strftime("%d/%m/%Y") if isinstance(value, (dt.date, dt.datetime)) else None


# how strong a flag's evidence is (evidence_strength), strongest first
HEADER_OR_CATALOG, CONSENSUS, ONE_DOCUMENT, NO_MAJORITY = 3, 2, 1, 0


def flag(kind: str, severity: str, doc_id: str | None, ref: str | None, message: str, evidence: dict,
         expected=None, found=None, char_start: int | None = None, char_end: int | None = None,
         strength: int = ONE_DOCUMENT, basis: str = "inside one document", finding: str | None = None,
         spans: Sequence[tuple[str, int, int]] | None = None) -> dict:
    """One finding.  ``finding`` names it (by default kind, document, số hiệu, expected and found, not the
    offsets): the same wrong date written five times in a document is one flag with five spans, and its
    ``flag_id`` stays the same when the text around it moves."""
    key = finding or f"{kind}|{doc_id}|{ref_key(ref) if ref else None}|{expected}|{found}"
    spans = list(spans) if spans is not None else ([(doc_id, char_start, char_end)] if char_start is not None else [])
    return {"flag_id": hashlib.sha1(key.encode()).hexdigest()[:16], "kind": kind, "severity": severity,
            "doc_id": doc_id, "ref": ref, "message": message, "evidence": json.dumps(evidence, ensure_ascii=False, default=str),
            "expected": None if expected is None else str(expected), "found": None if found is None else str(found),
            "char_start": char_start, "char_end": char_end, "evidence_strength": strength, "evidence_basis": basis,
            "spans": [{"doc_id": d, "char_start": a, "char_end": b} for d, a, b in spans]}


def _add_finding(rows: dict[str, dict], r: dict) -> None:
    """Keep one row per finding: a second mention of it adds its span."""
    old = rows.get(r["flag_id"])
    if old is None:
        rows[r["flag_id"]] = r
        return
    seen = {(x["doc_id"], x["char_start"], x["char_end"]) for x in old["spans"]}
    old["spans"] += [x for x in r["spans"] if (x["doc_id"], x["char_start"], x["char_end"]) not in seen]


MENTIONS = """
    SELECT c.doc_id, c.seq, c.ref, c.doc_type, c.cited_date, c.year, c.char_start, c.char_end, c.surface, c.issuer,
           c.written_type, c.code_type, d.source_path, d.issue_date, d.ref AS doc_ref, d.province,
           d.issue_date_source, d.official
    FROM citations c JOIN documents d USING (doc_id)
"""


@dataclasses.dataclass(frozen=True)
class Scope:
    """Which documents the rules apply to: the date checks that need a document's own date read only
    official documents (a header with a place-date line), unless ``include_articles``."""

    include_articles: bool = False


def _rows(con, sql: str, params=()) -> list:
    """Query rows as named tuples of Python values (dates stay ``datetime.date``)."""
    cur = con.execute(sql, list(params))
    Row = collections.namedtuple("Row", [d[0] for d in cur.description])
    return [Row(*r) for r in cur.fetchall()]


def _mention_flags(con, texts: _Texts, kind: str, severity: str, where: str, message, expected, found,
                   basis: str, params=(), keep=None) -> Iterable[dict]:
    """Flags for the citations that match ``where`` (and ``keep(row)``, when given); message/expected/found
    are read off each row (one finding per document, số hiệu and value: mentions of it are its spans)."""
    for r in _rows(con, MENTIONS + " WHERE " + where + " ORDER BY c.doc_id, c.char_start", params):
        if keep is not None and not keep(r):
            continue
        yield flag(kind, severity, r.doc_id, r.ref, message(r),
                   {"file": _file(r.source_path), "sentence": texts.sentence(r.doc_id, r.char_start, r.char_end),
                    "document_date": _d(r.issue_date)},
                   expected=expected(r), found=found(r), char_start=r.char_start, char_end=r.char_end, basis=basis)


"""Stage 5: consistency flags over the whole archive.

Each kind of flag is one small rule: a query over the loaded tables that returns the offending
rows with the evidence a person needs (the file, the sentence, the other documents that
disagree).  A rule that cannot decide says nothing.  ``compute_flags`` replaces the ``flags``
table in one transaction; ``vanban run`` calls it at the end and ``vanban flags`` on demand.
"""
from __future__ import annotations

import collections
import dataclasses
import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path
from typing import Callable, Iterable, Sequence

import duckdb
import regex

from extractors import vocab
from extractors.vocab import WS

from ..store import insert_rows, mark_flags_stale, transaction
from ..store.tables import FLAGS

FLAG_COLUMNS = FLAGS.columns
CATALOG_COLUMNS = ["type", "ref", "issue_date", "issuer", "title"]
EVIDENCE_FILES = 20   # other documents named in one flag's evidence (their total is given too)


class CatalogError(Exception):
    """A catalog file that cannot be used (missing, wrong columns, bad date)."""


_SEPARATORS = regex.compile(r"[\-.]")


def ref_key(ref: str | None) -> str | None:
    """The form two writings of one số hiệu share: '27/CTTg' and '27/CT-TTg', '05/KH' and '5/KH'.
    The dot of a dotted number stays: 66.7/2025/NQ-CP is not 667/2025/NQ-CP."""
    from extractors.citations import norm_ref   # loaded when flags are computed, not at start-up
    if not ref:
        return None
    number, slash, rest = norm_ref(ref).partition("/")
    return number.replace("-", "") + slash + _SEPARATORS.sub("", rest)


def split_key(key: str) -> tuple[str, str | None, str]:
    """(number, year, symbol) of a ref_key: '8/2025/NĐCP' → ('8', '2025', 'NĐCP'); '27/CTTG' → ('27', None, 'CTTG')."""
    parts = key.split("/")
    if len(parts) >= 3 and len(parts[1]) == 4 and parts[1].isdigit():
        return parts[0], parts[1], "/".join(parts[2:])
    return parts[0], None, "/".join(parts[1:])


# --- reference tables --------------------------------------------------------------------------

def read_catalog(path: Path) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise CatalogError(f"{path}: cannot read catalog ({e.strerror or e})") from None
    except UnicodeDecodeError as e:
        raise CatalogError(f"{path}: cannot read catalog (not UTF-8 text: byte {e.start})") from None
    if "\x00" in text:
        raise CatalogError(f"{path}: cannot read catalog (binary content, not CSV)")
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    missing = {"ref", "issue_date"} - set(reader.fieldnames or ())
    if missing:
        raise CatalogError(f"{path}: catalog needs the columns {', '.join(CATALOG_COLUMNS)} (missing {', '.join(sorted(missing))})")
    rows = []
    for n, r in enumerate(reader, start=2):
        if not (r.get("ref") or "").strip():
            raise CatalogError(f"{path}: line {n}: empty ref")
        if r.get("issue_date") is None:
            raise CatalogError(f"{path}: line {n}: short row (no issue_date)")
        try:
            date = dt.date.fromisoformat(r["issue_date"].strip())
        except ValueError:
            raise CatalogError(f"{path}: line {n}: issue_date {r['issue_date']!r} is not YYYY-MM-DD") from None
        rows.append({"ref": r["ref"].strip(), "ref_key": ref_key(r["ref"]), "type": r.get("type"), "issue_date": date,
                     "issuer": r.get("issuer"), "title": r.get("title"), "source": str(path)})
    return rows


def refresh_reference(con: duckdb.DuckDBPyConnection, catalog_files: Sequence[Path] = ()) -> None:
    """Load the province table and the catalog (shipped seed, then the user's files, later ones winning)."""
    rows: dict[str, dict] = {}
    for path in (vocab.DATA / "national_documents.csv", *catalog_files):
        for r in read_catalog(Path(path)):
            rows[r["ref_key"]] = r
    provinces = [{"province": p.name, "kind": p.kind, "province_2025": p.name_2025, "merged": p.merged}
                 for p in vocab.provinces()]
    issuers = [{"issuer": k, "local": v} for k, v in sorted({i.issuer: i.local for i in vocab.issuers()}.items())]
    with transaction(con):
        for table, records in (("provinces", provinces), ("issuers", issuers), ("catalog", list(rows.values()))):
            con.execute(f"DELETE FROM {table}")
            insert_rows(con, table, list(records[0]) if records else [], records)


# --- helpers -----------------------------------------------------------------------------------

_SENTENCE_CUT = regex.compile(r"[.;!?](?=\s)|\n\s*\n")
_SENTENCE_END = regex.compile(r"[.;!?](?=\s|$)")


class _Texts:
    """Document texts fetched once, for the sentence each flag quotes."""

    def __init__(self, con):
        self.con, self.cache = con, {}

    def sentence(self, doc_id: str, start: int, end: int) -> str:
        if doc_id not in self.cache:
            row = self.con.execute("SELECT text FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
            self.cache[doc_id] = (row[0] if row else None) or ""
        text = self.cache[doc_id]
        lo = max(0, start - 300)
        cut = [m.end() for m in _SENTENCE_CUT.finditer(text, lo, start)]
        s = cut[-1] if cut else lo
        m = _SENTENCE_END.search(text, end, end + 300)
        e = m.end() if m else min(len(text), end + 300)
        return WS.sub(" ", text[s:e]).strip()


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


def scope_key(ref: str | None, issuer: str | None, province: str | None) -> tuple[str | None, str | None]:
    """Which mentions name the same document: a national số hiệu names one document nationwide;
    '03/CT-UBND' of one province is not '03/CT-UBND' of another."""
    national = issuer and all(part in vocab.national_issuers() for part in issuer.split(", "))
    return ref_key(ref), None if national else province


# --- the rules ---------------------------------------------------------------------------------


Rule = Callable[[duckdb.DuckDBPyConnection, "_Texts", Scope], Iterable[dict]]
# every flag kind and the rule that yields its rows, in the order they run (the decorator adds them)
RULES: dict[str, Rule] = {}


def rule(fn: Rule) -> Rule:
    """Register a rule under its function's name, which is the kind of flag it raises."""
    RULES[fn.__name__] = fn
    return fn


@rule
def citation_date_conflict(con, texts: _Texts, scope: Scope) -> Iterable[dict]:
    """One số hiệu cited with different dates: the mentions against the consensus, one finding per document
    and date.  The consensus is the catalog's or the cited document's own header date when one of the
    mentions has it, else the date most mentions give; a date whose year contradicts the số hiệu's year
    is never the consensus.  With no majority, one finding for the số hiệu with every mention."""
    catalog = dict(con.execute("SELECT ref_key, issue_date FROM catalog").fetchall())
    own: dict[str, set] = collections.defaultdict(set)   # the cited document's own header date, when it is loaded
    for ref, date in con.execute("""SELECT ref, issue_date FROM documents
                                    WHERE ref IS NOT NULL AND issue_date_source = 'date_line' AND official""").fetchall():
        own[ref_key(ref)].add(date)
    groups: dict[tuple, list] = collections.defaultdict(list)
    for r in _rows(con, MENTIONS + " WHERE c.ref IS NOT NULL AND c.cited_date IS NOT NULL"):
        key, where = scope_key(r.ref, r.issuer, r.province)
        # a số hiệu without a year (party 35-CT/TW, 27/CT-TTg) is numbered again each term: another year, another document
        groups[(key, where, r.cited_date.year if r.year is None else None)].append(r)
    for (key, where, _), group in _merge_near_refs(groups).items():
        support = collections.Counter(r.cited_date for r in group)
        if len(support) < 2:
            continue
        year = group[0].year
        fitting = collections.Counter({d: n for d, n in support.items() if year is None or d.year == year})
        ranked = fitting.most_common()
        own_dates = own.get(key, set()) & set(fitting)
        consensus = None
        if where is None and catalog.get(key) in fitting:
            consensus, basis, strength, why = catalog[key], "the reference catalog", HEADER_OR_CATALOG, "the reference catalog"
        elif len(own_dates) == 1:
            consensus = next(iter(own_dates))
            basis, strength, why = "the document's own header", HEADER_OR_CATALOG, "the cited document's own header"
        elif ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            consensus, basis = ranked[0][0], "most mentions"
            docs = {o.doc_id for o in group if o.cited_date == consensus}
            provinces = {o.province for o in group if o.cited_date == consensus and o.province}
            if len(docs) > 1:
                strength, why = CONSENSUS, f"consensus of {len(docs)} documents in {len(provinces)} provinces"
            else:
                strength, why = ONE_DOCUMENT, "majority inside one document"
        elif not ranked:
            continue   # every date contradicts the số hiệu's year: number_year_mismatch says it
        dates = {_d(k): v for k, v in support.most_common()}
        files_by_date: dict = collections.defaultdict(set)
        forms_by_key: dict = collections.defaultdict(set)
        for o in group:   # once per group: a much-cited document has thousands of mentions
            files_by_date[o.cited_date].add(_file(o.source_path))
            forms_by_key[ref_key(o.ref)].add(o.ref)
        if consensus is None:
            first = min(group, key=lambda o: (_file(o.source_path) or "", o.char_start))
            yield flag("citation_date_conflict", "warning", first.doc_id, first.ref,
                       f"{first.ref} cited with different dates: " + ", ".join(f"{n} mention(s) say {d}" for d, n in dates.items())
                       + "; no consensus",
                       {"file": _file(first.source_path), "sentence": texts.sentence(first.doc_id, first.char_start, first.char_end),
                        "dates": dates, "consensus": None, "basis": "no majority",
                        "files": sorted(set().union(*files_by_date.values()))[:EVIDENCE_FILES]},
                       found=", ".join(sorted(str(d) for d in support)), char_start=first.char_start, char_end=first.char_end,
                       strength=NO_MAJORITY, basis="no majority", finding=f"citation_date_conflict|{key}|{where}|no majority",
                       spans=sorted((o.doc_id, o.char_start, o.char_end) for o in group))
            continue
        for r in sorted(group, key=lambda o: (o.doc_id, o.char_start)):
            if r.cited_date == consensus:
                continue
            others = sorted(set().union(*(f for d, f in files_by_date.items() if d != r.cited_date)))
            written = sorted(set().union(*(f for k, f in forms_by_key.items() if k != ref_key(r.ref))))
            message = (f"{r.ref} cited with {_d(r.cited_date)}; " + ", ".join(f"{n} mention(s) say {d}" for d, n in dates.items())
                       + f"; consensus {_d(consensus)} ({why})")
            yield flag("citation_date_conflict", "warning", r.doc_id, r.ref, message,
                       {"file": _file(r.source_path), "sentence": texts.sentence(r.doc_id, r.char_start, r.char_end),
                        "dates": dates, "consensus": _d(consensus), "basis": basis, "also_written_as": written,
                        "documents_with_other_dates": others[:EVIDENCE_FILES],
                        "documents_with_other_dates_total": len(others)},
                       expected=consensus, found=r.cited_date, char_start=r.char_start, char_end=r.char_end,
                       strength=strength, basis=why, finding=f"citation_date_conflict|{r.doc_id}|{key}|{where}|{r.cited_date}")


def _one_edit(a: str, b: str) -> bool:
    """Whether b is a with one letter dropped, added or changed ('CTTG' and 'CTTTG')."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _merge_near_refs(groups: dict[tuple, list]) -> dict[tuple, list]:
    """Join a số hiệu mistyped by one letter of its symbol ('27/CTTg') to the same number, year and issuer
    written right ('27/CT-TTg'), into the larger group.  The number and the year are never edited:
    08/2025/NĐ-CP and 08/2022/NĐ-CP are two documents."""
    keys = sorted(groups, key=lambda k: -len(groups[k]))
    merged: dict[tuple, list] = {}
    buckets: dict[tuple, list[tuple]] = collections.defaultdict(list)   # same number, year, scope and issuer
    for k in keys:
        key, *where = k
        number, year, symbol = split_key(key)
        bucket = buckets[(number, year, *where, groups[k][0].issuer)]
        target = next((m for m in bucket if _one_edit(split_key(m[0])[2], symbol)), None)
        if target:
            merged[target] = merged[target] + groups[k]
        else:
            merged[k] = list(groups[k])
            bucket.append(k)
    return merged


@rule
def catalog_date_mismatch(con, texts: _Texts, scope: Scope) -> Iterable[dict]:
    """A cited date that disagrees with the catalog of national documents."""
    catalog = {r[0]: r for r in con.execute("SELECT ref_key, ref, issue_date, title, source FROM catalog").fetchall()}
    for r in _rows(con, MENTIONS + " WHERE c.ref IS NOT NULL AND c.cited_date IS NOT NULL"):
        key, scope = scope_key(r.ref, r.issuer, r.province)
        entry = catalog.get(key) if scope is None else None   # the catalog holds national documents
        if entry is None or entry[2] == r.cited_date:
            continue
        yield flag("catalog_date_mismatch", "error", r.doc_id, r.ref,
                   f"{r.ref} cited with {_d(r.cited_date)}; the catalog dates it {_d(entry[2])}",
                   {"file": _file(r.source_path), "sentence": texts.sentence(r.doc_id, r.char_start, r.char_end),
                    "catalog": {"ref": entry[1], "issue_date": _d(entry[2]), "title": entry[3], "source": _file(entry[4])}},
                   expected=entry[2], found=r.cited_date, char_start=r.char_start, char_end=r.char_end,
                   strength=HEADER_OR_CATALOG, basis="the reference catalog")


def _mention_flags(con, texts: _Texts, kind: str, severity: str, where: str, message, expected, found,
                   basis: str, params=()) -> Iterable[dict]:
    """Flags for the citations that match ``where``; message/expected/found are read off each row (one
    finding per document, số hiệu and value: mentions of it are its spans)."""
    for r in _rows(con, MENTIONS + " WHERE " + where + " ORDER BY c.doc_id, c.char_start", params):
        yield flag(kind, severity, r.doc_id, r.ref, message(r),
                   {"file": _file(r.source_path), "sentence": texts.sentence(r.doc_id, r.char_start, r.char_end),
                    "document_date": _d(r.issue_date)},
                   expected=expected(r), found=found(r), char_start=r.char_start, char_end=r.char_end, basis=basis)


@rule
def number_year_mismatch(con, texts: _Texts, scope: Scope) -> Iterable[dict]:
    """The year inside the số hiệu is not the year of the date cited with it."""
    return _mention_flags(
        con, texts, "number_year_mismatch", "warning",
        "c.year IS NOT NULL AND c.cited_date IS NOT NULL AND c.year <> year(c.cited_date)",
        lambda r: f"{r.ref} carries the year {r.year} but is cited with {_d(r.cited_date)}",
        lambda r: r.year, lambda r: r.cited_date.year, "the year inside the số hiệu")


@rule
def cited_after_citing(con, texts: _Texts, scope: Scope) -> Iterable[dict]:
    """A document cites one dated after its own issue date.  Only a document whose own date is reliable
    (the place-date line of its header) can cite something after itself; portal articles and pages
    without a header are skipped unless ``scope.include_articles``."""
    return _mention_flags(
        con, texts, "cited_after_citing", "warning",
        "c.cited_date IS NOT NULL AND d.issue_date IS NOT NULL AND c.cited_date > d.issue_date"
        " AND d.issue_date_source = 'date_line' AND (d.official OR ?)",
        lambda r: (f"{r.doc_ref or _file(r.source_path)} dated {_d(r.issue_date)} cites {r.ref or r.surface} "
                   f"dated {_d(r.cited_date)}, after it"),
        lambda r: f"on or before {r.issue_date}", lambda r: r.cited_date, "the document's own header date",
        [scope.include_articles])


@rule
def type_symbol_mismatch(con, texts: _Texts, scope: Scope) -> Iterable[dict]:
    """A type word that contradicts the code in the symbol (Nghị định số 242/QĐ-TTg).  The generic
    'Công văn' / 'Văn bản' never contradicts a code, nor 'Thông tư' a Thông tư liên tịch."""
    return _mention_flags(
        con, texts, "type_symbol_mismatch", "warning",
        "c.written_type IS NOT NULL AND c.code_type IS NOT NULL AND c.written_type <> c.code_type"
        " AND c.written_type <> 'Công văn'"
        " AND NOT (c.code_type LIKE c.written_type || ' liên tịch')",
        lambda r: f"written '{r.written_type}' but the symbol of {r.ref} is a {r.code_type}",
        lambda r: r.code_type, lambda r: r.written_type, "the code inside the symbol")


@rule
def implemented_before_issued(con, texts: _Texts, scope: Scope) -> Iterable[dict]:
    """'X implements Y' while X is dated before Y."""
    for r in _rows(con, """
        SELECT l.doc_id, l.char_start, l.char_end, a.ref AS x_ref, a.cited_date AS x_date, b.ref AS y_ref,
               b.cited_date AS y_date, d.source_path
        FROM citation_links l JOIN documents d USING (doc_id)
        JOIN citations a ON a.doc_id = l.doc_id AND a.seq = l.from_seq
        JOIN citations b ON b.doc_id = l.doc_id AND b.seq = l.to_seq
        WHERE l.relation = 'implements' AND a.cited_date < b.cited_date"""):
        yield flag("implemented_before_issued", "warning", r.doc_id, r.x_ref,
                   f"{r.x_ref} ({_d(r.x_date)}) is said to implement {r.y_ref} ({_d(r.y_date)}), which is dated after it",
                   {"file": _file(r.source_path), "sentence": texts.sentence(r.doc_id, r.char_start, r.char_end),
                    "implementing": {"ref": r.x_ref, "date": _d(r.x_date)}, "implemented": {"ref": r.y_ref, "date": _d(r.y_date)}},
                   expected=f"on or after {r.y_date}", found=r.x_date, char_start=r.char_start, char_end=r.char_end)


@rule
def impossible_date(con, texts: _Texts, scope: Scope) -> Iterable[dict]:
    """A written date that does not exist (ngày 15 tháng 54, 31/02)."""
    for r in _rows(con, """SELECT x.doc_id, x.day, x.month, x.year, x.char_start, x.char_end, x.surface, d.source_path
                           FROM dates x JOIN documents d USING (doc_id) WHERE x.value IS NULL"""):
        why = "month" if not 1 <= r.month <= 12 else "day"
        yield flag("impossible_date", "error", r.doc_id, None,
                   f"'{r.surface}' is not a date (no {why} {r.day if why == 'day' else r.month}"
                   f"{' in month ' + str(r.month) if why == 'day' else ''})",
                   {"file": _file(r.source_path), "sentence": texts.sentence(r.doc_id, r.char_start, r.char_end),
                    "day": int(r.day), "month": int(r.month), "year": int(r.year)},
                   found=r.surface, char_start=r.char_start, char_end=r.char_end, basis="the calendar")


@rule
def total_mismatch(con, texts: _Texts, scope: Scope) -> Iterable[dict]:
    """A stated total that is not the sum of its listed parts."""
    parts = _rows(con, """
        SELECT 'staffing' AS t, p.doc_id, p.count AS total, sum(c.count) AS parts, list(c.count ORDER BY c.id) AS items,
               p.char_start, p.char_end, p.surface, d.source_path
        FROM staffing p JOIN staffing c ON c.doc_id = p.doc_id AND c.parent_id = p.id JOIN documents d ON d.doc_id = p.doc_id
        GROUP BY ALL HAVING sum(c.count) <> p.count
        UNION ALL
        SELECT 'staffing split', s.doc_id, s.count, s.full_time + s.part_time, [s.full_time, s.part_time],
               s.char_start, s.char_end, s.surface, d.source_path
        FROM staffing s JOIN documents d USING (doc_id)
        WHERE s.full_time IS NOT NULL AND s.part_time IS NOT NULL AND s.full_time + s.part_time <> s.count
        UNION ALL
        SELECT 'counts', p.doc_id, p.value, sum(c.value), list(c.value ORDER BY c.seq), p.char_start, p.char_end, p.surface,
               d.source_path
        FROM counts p JOIN counts c ON c.doc_id = p.doc_id AND c.parent_id = p.seq JOIN documents d ON d.doc_id = p.doc_id
        GROUP BY ALL HAVING sum(c.value) <> p.value""")
    for r in parts:
        yield flag("total_mismatch", "warning", r.doc_id, None,
                   f"{r.surface} stated, but its {r.t.replace('staffing split', 'chuyên trách + kiêm nhiệm')} parts add up to {r.parts}",
                   {"file": _file(r.source_path), "sentence": texts.sentence(r.doc_id, r.char_start, r.char_end),
                    "parts": [int(x) for x in r.items]},
                   expected=r.total, found=r.parts, char_start=r.char_start, char_end=r.char_end,
                   basis="the parts listed with the total", finding=f"total_mismatch|{r.doc_id}|{r.t}|{r.char_start}|{r.surface}")
    yield from _listed_documents(con, texts)


def _listed_documents(con, texts: _Texts) -> Iterable[dict]:
    """'10 văn bản, gồm: 03 chỉ thị, 05 kế hoạch …, cụ thể:' against the documents listed after it."""
    by_word = vocab.type_by_word()
    rows = con.execute("""
        SELECT t.doc_id, t.seq, t.value, t.char_start, t.char_end, t.surface, d.source_path,
               (SELECT list({'value': p.value, 'head': p.head} ORDER BY p.seq) FROM counts p
                WHERE p.doc_id = t.doc_id AND p.parent_id = t.seq) AS stated,
               (SELECT list({'type': c.doc_type, 'ref': c.ref} ORDER BY c.seq) FROM count_items i
                JOIN citations c ON c.doc_id = i.doc_id AND c.seq = i.citation_seq
                WHERE i.doc_id = t.doc_id AND i.count_seq = t.seq) AS listed
        FROM counts t JOIN documents d USING (doc_id)
        WHERE EXISTS (SELECT 1 FROM count_items i WHERE i.doc_id = t.doc_id AND i.count_seq = t.seq)""").fetchall()
    for doc_id, _, total, s, e, surface, path, stated, listed in rows:
        listed_types = collections.Counter(x["type"] for x in listed)
        stated_types = collections.Counter()
        for p in stated or []:
            typ = by_word.get(p["head"].lower())
            if typ is None:
                stated_types = None  # a part that is not a document type: cannot compare by type
                break
            stated_types[typ] += p["value"]
        problems = []
        if len(listed) != total:
            problems.append(f"{len(listed)} documents are listed")
        if stated_types and stated_types != listed_types:
            problems.append("the list has " + ", ".join(f"{n} {t}" for t, n in listed_types.most_common()))
        if not problems:
            continue
        said = ", ".join(f"{n:02d} {t}" for t, n in (stated_types or {}).items())
        yield flag("total_mismatch", "warning", doc_id, None,
                   f"{surface}{' (' + said + ')' if said else ''} stated, but " + "; ".join(problems),
                   {"file": _file(path), "sentence": texts.sentence(doc_id, s, e),
                    "stated": dict(stated_types or {}), "listed": dict(listed_types),
                    "listed_refs": [x["ref"] for x in listed]},
                   expected=json.dumps(dict(stated_types or {"total": total}), ensure_ascii=False),
                   found=json.dumps(dict(listed_types), ensure_ascii=False), char_start=s, char_end=e,
                   basis="the documents listed after the total", finding=f"total_mismatch|{doc_id}|listed|{s}|{surface}")




def compute_flags(con: duckdb.DuckDBPyConnection, catalog_files: Sequence[Path] = (),
                  include_articles: bool = False) -> collections.Counter:
    """Recompute every flag of the archive (one row per finding); returns how many of each kind."""
    refresh_reference(con, catalog_files)
    with transaction(con):
        graph_build(con)   # links, relations, validity: what the graph rules read
    texts = _Texts(con)
    scope = Scope(include_articles=include_articles)
    rows: dict[str, dict] = {}
    for rule in RULES.values():
        for r in rule(con, texts, scope):
            _add_finding(rows, r)
    with transaction(con):
        con.execute("DELETE FROM flags")
        insert_rows(con, "flags", FLAG_COLUMNS, list(rows.values()))
        mark_flags_stale(con, False)
    return collections.Counter(r["kind"] for r in rows.values())


from . import graph as _graph_rules  # noqa: E402,F401  (registers the graph rules after the others)
from ..graph import build as graph_build  # noqa: E402

"""Rules over what the citations say: their dates against each other, the catalog, the số hiệu's year,
the citing document's own date, the type word against the symbol, and the links between citations."""
from __future__ import annotations

import collections
from typing import Iterable

import regex

from extractors import vocab

from .registry import rule
from .common import (CONSENSUS, EVIDENCE_FILES, HEADER_OR_CATALOG, MENTIONS, NO_MAJORITY, ONE_DOCUMENT, Scope, _Texts,
                     _d, _file, _mention_flags, _rows, flag, flag_context)
from .keys import ref_key, scope_key, split_key


@rule
def citation_date_conflict(con, texts: _Texts, scope: Scope) -> Iterable[dict]:
    """One số hiệu cited with different dates: the mentions against the consensus, one finding per document
    and date.  The consensus is the issue date on the cited document's own header when the mentions link to
    it (``citations.cited_doc_id``: the same province for a local số hiệu), else the catalog's date when one of
    the mentions has it, else the date most mentions give; a date whose year contradicts the số hiệu's year is
    never the consensus.  With no majority, one finding for the số hiệu with every mention."""
    catalog = dict(con.execute("SELECT ref_key, issue_date FROM catalog").fetchall())
    # the header date of each document a citation links to (pipeline.graph computes the links first)
    own = dict(con.execute("""SELECT doc_id, issue_date FROM documents WHERE issue_date_source = 'date_line'
                              AND doc_id IN (SELECT cited_doc_id FROM citations)""").fetchall())
    groups: dict[tuple, list] = collections.defaultdict(list)
    for r in _rows(con, MENTIONS.replace("FROM citations c", ", c.cited_doc_id FROM citations c")
                   + " WHERE c.ref IS NOT NULL AND c.cited_date IS NOT NULL"):
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
        own_dates = {own[o.cited_doc_id] for o in group if o.cited_doc_id in own}
        own_dates = {d for d in own_dates if year is None or d.year == year}
        consensus = None
        if len(own_dates) == 1:   # one document, dated on its own header: the best evidence, whatever the mentions say
            consensus = next(iter(own_dates))
            basis, strength, why = "the document's own header", HEADER_OR_CATALOG, "the cited document's own header"
        elif where is None and catalog.get(key) in fitting:
            consensus, basis, strength, why = catalog[key], "the reference catalog", HEADER_OR_CATALOG, "the reference catalog"
        elif ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            consensus, basis = ranked[0][0], "most mentions"
            docs = {o.doc_id for o in group if o.cited_date == consensus}
            provinces = {o.province for o in group if o.cited_date == consensus and o.province}
            if len(docs) > 1:
                strength = CONSENSUS   # articles have no province: the count of provinces only when there are some
                why = f"consensus of {len(docs)} documents" + (f" in {len(provinces)} provinces" if provinces else "")
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
    """Join a số hiệu mistyped by one letter of its symbol ('27/CTTg') to the same number, year, issuer and
    type code written right ('27/CT-TTg'), into the larger group.  The number, the year and the type code
    are never edited: 08/2025/NĐ-CP and 08/2022/NĐ-CP are two documents, and so are 05/2025/NQ-CP and
    05/2025/NĐ-CP (one letter apart, but a Nghị quyết and a Nghị định)."""
    keys = sorted(groups, key=lambda k: -len(groups[k]))
    merged: dict[tuple, list] = {}
    buckets: dict[tuple, list[tuple]] = collections.defaultdict(list)   # same number, year, scope and issuer
    for k in keys:
        key, *where = k
        number, year, symbol = split_key(key)
        bucket = buckets[(number, year, *where, groups[k][0].issuer)]
        code = groups[k][0].code_type
        target = next((m for m in bucket if _one_edit(split_key(m[0])[2], symbol)
                       and (code == groups[m][0].code_type or None in (code, groups[m][0].code_type))), None)
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


_YEAR = regex.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def _era(texts: _Texts, r) -> int | None:
    """The year a mention belongs to: its số hiệu's, its date's, else the last year written before it in its
    sentence ('Ngày 8 tháng 3 năm 1949, … ra Nghị định số 604/QĐ')."""
    if r.year or r.cited_date:
        return r.year or r.cited_date.year
    years = _YEAR.findall(texts.before(r.doc_id, r.char_start))
    return int(years[-1]) if years else None


def _typed_by_its_code(texts: _Texts, r) -> bool:
    """Whether the code in the symbol names the type in the mention's time: before about 1990 QĐ and CT
    named the issuer as often (vocabulary: flag_context.yaml)."""
    context = flag_context()
    codes = {c.upper() for c in context["issuer_codes"]}
    old_codes = {t for c, t in vocab.type_by_code().items() if c in codes}
    if r.code_type not in old_codes:
        return True
    era = _era(texts, r)
    return era is None or era >= context["issuer_codes_until"]


@rule
def type_symbol_mismatch(con, texts: _Texts, scope: Scope) -> Iterable[dict]:
    """A type word that contradicts the code in the symbol (Nghị định số 242/QĐ-TTg).  The generic
    'Công văn' / 'Văn bản' never contradicts a code, nor 'Thông tư' a Thông tư liên tịch, nor a code
    that named the issuer in its time."""
    return _mention_flags(
        con, texts, "type_symbol_mismatch", "warning",
        "c.written_type IS NOT NULL AND c.code_type IS NOT NULL AND c.written_type <> c.code_type"
        " AND c.written_type <> 'Công văn'"
        " AND NOT (c.code_type LIKE c.written_type || ' liên tịch')",
        lambda r: f"written '{r.written_type}' but the symbol of {r.ref} is a {r.code_type}",
        lambda r: r.code_type, lambda r: r.written_type, "the code inside the symbol",
        keep=lambda r: _typed_by_its_code(texts, r))


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


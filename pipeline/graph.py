"""The archive as a citation graph (issue 15), computed before the flags.

* **links** — each citation whose số hiệu names a document of the archive gets ``cited_doc_id``: a
  national số hiệu (Chính phủ, a ministry …) names one document nationwide; a local one
  (``17/KH-UBND``) only a document of the citing document's own province, and a số hiệu without a
  year only a document of the cited year.  When several documents share the key, the one whose date
  is the cited date; copies (same date) are one document; else no link and ``link_note`` says why.
* **relations** — ``citations.relation``, the role of each mention read from its sentence
  (:func:`extractors.citation_roles.roles`), is stored with the citation by the worker that extracted it.
* **validity** — ``document_validity``: what the archive's own texts say replaces, repeals or amends
  what (:func:`extractors.citation_roles.supersessions`, stored per document in ``validity_statements``
  by the worker), with the links of the citations it names; and what the imported catalog says.
"""
from __future__ import annotations

import collections
import datetime as dt

import duckdb

from extractors import vocab

from .checks.keys import ref_key
from .store import insert_rows
from .store.tables import CITATIONS, DOCUMENT_VALIDITY

LINK_COLUMNS = [c for c, _ in CITATIONS.computed]   # set on each citation, by (doc_id, seq)
NOT_IN_FORCE = ("replaced", "repealed", "expired")


def is_national(issuer: str | None) -> bool:
    """Whether a citation's issuer numbers its documents nationwide (every part of 'Bộ Tư pháp, Bộ Nội vụ')."""
    return bool(issuer) and all(part in vocab.national_issuers() for part in issuer.split(", "))


class Archive:
    """The documents of the archive that have a số hiệu, by key."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.by_key: dict[str, list[tuple]] = collections.defaultdict(list)
        self.docs: dict[str, tuple] = {}
        for row in con.execute("""SELECT doc_id, ref, province, issue_date FROM documents
                                  WHERE status = 'ok' AND ref IS NOT NULL ORDER BY doc_id""").fetchall():
            self.by_key[ref_key(row[1])].append(row)
            self.docs[row[0]] = row

    def link(self, key: str, national: bool, province: str | None, yearless: bool, cited_date: dt.date | None,
             citing: str) -> tuple[str | None, str | None]:
        """(doc_id, None) or (None, why not) or (None, None) when the archive does not hold the number."""
        found = [d for d in self.by_key.get(key, ()) if d[0] != citing]
        if not found:
            return None, None
        if not national:
            if province is None:
                return None, "a local số hiệu cited by a document of unknown province"
            found = [d for d in found if d[2] == province]
            if not found:
                return None, None   # the same number in another province is another document
        if yearless and cited_date is not None:
            found = [d for d in found if d[3] is None or d[3].year == cited_date.year]
            if not found:
                return None, None   # renumbered every year: another year's document
        if len({d[3] for d in found}) == 1:
            return found[0][0], None   # one document (copies of it share their date)
        same = [d for d in found if cited_date is not None and d[3] == cited_date]
        if same:
            return same[0][0], None
        dates = ", ".join(sorted(str(d[3]) for d in found))
        return None, f"{len(found)} documents of the archive carry this số hiệu ({dates}), none dated as cited"


def merge_catalog(con: duckdb.DuckDBPyConnection) -> None:
    """The imported catalog joins the reference catalog: over the shipped seed, under a ``--catalog`` file."""
    seed = str(vocab.DATA / "national_documents.csv")
    con.execute("DELETE FROM catalog WHERE source = ? AND ref_key IN (SELECT ref_key FROM catalog_entries)", [seed])
    con.execute("""INSERT INTO catalog (ref, ref_key, type, issue_date, issuer, title, source, status, effective_date, expiry_date)
                   SELECT ref, ref_key, type, issue_date, issuer, title, source, status, effective_date, expiry_date
                   FROM catalog_entries WHERE ref_key NOT IN (SELECT ref_key FROM catalog) AND issue_date IS NOT NULL""")
    con.execute("""UPDATE catalog SET status = e.status, effective_date = e.effective_date, expiry_date = e.expiry_date
                   FROM catalog_entries e WHERE catalog.ref_key = e.ref_key""")


def build(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Recompute links and validity over the whole archive (the roles of the mentions and what each document
    says replaces what were read by the worker that extracted it: ``citations.relation``, ``validity_statements``)."""
    merge_catalog(con)
    archive = Archive(con)
    cur = con.execute("""
        SELECT c.doc_id, c.seq, c.ref, c.issuer, c.year, c.cited_date, c.article, c.char_start, c.char_end,
               d.province, d.ref AS doc_ref, d.issue_date
        FROM citations c JOIN documents d USING (doc_id) ORDER BY c.doc_id, c.char_start, c.seq""")
    cites_of: dict[str, list] = collections.defaultdict(list)   # each document's citations
    for r in cur.fetchall():
        cites_of[r[0]].append(r)
    statements: dict[str, list] = collections.defaultdict(list)
    for r in con.execute("""SELECT doc_id, target_seq, by_seq, relation, since, char_start, char_end, sentence
                            FROM validity_statements ORDER BY doc_id, seq""").fetchall():
        statements[r[0]].append(r)
    # the date most mentions give each số hiệu: the date of a replacing document cited without one
    written: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for cites in cites_of.values():
        for c in cites:
            if c[2] and c[5] and (c[4] is None or c[4] == c[5].year):
                written[ref_key(c[2])][c[5]] += 1
    links, validity = [], []
    for doc_id, cites in cites_of.items():
        province, doc_ref, doc_date = cites[0][9:12]
        keyed = {}   # seq → (key, scope, target, cited date)
        for c in cites:
            key = ref_key(c[2]) if c[2] else None
            national = is_national(c[3])
            scope = None if national else province
            target, note = archive.link(key, national, province, c[4] is None, c[5], doc_id) if key else (None, None)
            keyed[c[1]] = (key, scope, target, c[5])
            links.append({"doc_id": doc_id, "seq": c[1], "cited_province": scope, "cited_doc_id": target,
                          "link_note": note})
        ref_of = {c[1]: c[2] for c in cites}
        for _, target_seq, by_seq, relation, since, start, end, sentence in statements.get(doc_id, ()):
            key, scope, target, _ = keyed[target_seq]
            if by_seq is None:
                by_ref, by_doc, by_date = doc_ref, doc_id, doc_date
                by_key = ref_key(doc_ref) if doc_ref else None
            else:
                by_key, _, by_target, by_cited = keyed[by_seq]
                if by_key == key:
                    continue
                by_ref, by_doc = ref_of[by_seq], by_target
                most = written.get(by_key)
                by_date = ((archive.docs[by_target][3] if by_target else None) or by_cited
                           or (most.most_common(1)[0][0] if most else None) or doc_date)
            validity.append({"target_key": key, "province": scope, "target_ref": ref_of[target_seq], "target_doc_id": target,
                             "relation": relation, "by_ref": by_ref, "by_key": by_key, "by_doc_id": by_doc, "by_date": by_date,
                             "since": since or by_date, "source": "archive", "doc_id": doc_id,
                             "char_start": start, "char_end": end, "sentence": sentence})
    order = {doc_id: n for n, doc_id in enumerate(cites_of)}
    validity.sort(key=lambda v: order[v["doc_id"]])   # in the order of the documents' ids, as before
    validity += _catalog_validity(con, archive)
    con.execute("UPDATE citations SET " + ", ".join(f"{c} = NULL" for c in LINK_COLUMNS))
    if links:
        import pyarrow as pa
        con.register("_links", pa.Table.from_pydict({c: [r[c] for r in links] for c in ["doc_id", "seq", *LINK_COLUMNS]}))
        try:
            con.execute("UPDATE citations SET " + ", ".join(f"{c} = l.{c}" for c in LINK_COLUMNS)
                        + " FROM _links l WHERE citations.doc_id = l.doc_id AND citations.seq = l.seq")
        finally:
            con.unregister("_links")
    con.execute("DELETE FROM document_validity")
    insert_rows(con, DOCUMENT_VALIDITY.name, DOCUMENT_VALIDITY.columns, validity)
    return {"links": sum(1 for r in links if r["cited_doc_id"]), "validity": len(validity)}


def _catalog_validity(con: duckdb.DuckDBPyConnection, archive: Archive) -> list[dict]:
    """Validity from the imported catalog: its relations (A replaces B) and its status and expiry dates."""
    entries = {r[0]: r for r in con.execute(
        "SELECT ref_key, ref, issue_date, effective_date, expiry_date, status FROM catalog_entries").fetchall()}
    out = []

    def doc_of(key):
        found = archive.by_key.get(key)
        return found[0] if found else None

    for key, ref, other_key, other_ref, relation in con.execute(
            "SELECT ref_key, ref, other_key, other_ref, relation FROM catalog_relations "
            "WHERE relation IN ('replaces', 'repeals', 'amends')").fetchall():
        e = entries.get(key)
        own = doc_of(key)
        date = (e[3] or e[2]) if e else None
        date = date or (own[3] if own else None)
        target = doc_of(other_key)
        out.append({"target_key": other_key, "province": None, "target_ref": other_ref, "target_doc_id": target[0] if target else None,
                    "relation": {"replaces": "replaced", "repeals": "repealed", "amends": "amended"}[relation],
                    "by_ref": ref, "by_key": key, "by_doc_id": own[0] if own else None, "by_date": date, "since": date,
                    "source": "catalog", "doc_id": None, "char_start": None, "char_end": None, "sentence": None})
    for key, ref, _, _, expiry, status in entries.values():
        if expiry is None:
            continue   # a status without a date cannot say which citations came after
        target = doc_of(key)
        out.append({"target_key": key, "province": None, "target_ref": ref, "target_doc_id": target[0] if target else None,
                    "relation": "expired", "by_ref": None, "by_key": None, "by_doc_id": None, "by_date": None, "since": expiry,
                    "source": "catalog", "doc_id": None, "char_start": None, "char_end": None, "sentence": None})
    return out

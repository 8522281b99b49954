"""A catalog that lasts (issue 15): ``vanban catalog import`` stores entries and relations in the
database (``catalog_entries``, ``catalog_relations``), which every later flag computation uses
without ``--catalog``; ``vanban catalog export`` writes the catalog the archive itself implies.

Files are CSV or Parquet, in vanban's columns (``type, ref, issue_date, issuer, title`` and optional
``status, effective_date, expiry_date``; relations ``ref, other_ref, relation``) or in those of the
public Vietnamese legal-document datasets (``so_ky_hieu, ngay_ban_hanh, loai_van_ban,
co_quan_ban_hanh, tinh_trang_hieu_luc, ngay_co_hieu_luc, ngay_het_hieu_luc``; relations
``doc_id, other_doc_id, relationship`` with Vietnamese relation names, ids resolved through the
entries' ``id`` / ``doc_id`` column).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Sequence

import duckdb

from .checks.keys import ref_key
from .checks.reference import CatalogError
from .store import insert_rows, mark_flags_stale, transaction

# our column ← the names it may have in a file (vanban's first, then the datasets')
ENTRY_COLUMNS = {
    "ref": ("ref", "so_ky_hieu"), "type": ("type", "loai_van_ban"), "issue_date": ("issue_date", "ngay_ban_hanh"),
    "issuer": ("issuer", "co_quan_ban_hanh"), "title": ("title", "trich_yeu", "ten_van_ban", "tieu_de"),
    "status": ("status", "tinh_trang_hieu_luc"), "effective_date": ("effective_date", "ngay_co_hieu_luc"),
    "expiry_date": ("expiry_date", "ngay_het_hieu_luc"), "external_id": ("id", "doc_id"),
}
RELATIONS = ("replaces", "amends", "repeals", "guides", "basis")
# a relation as a file writes it → (ours, whether the file's row reads 'other <ours> doc')
RELATION_NAMES = {
    **{r: (r, False) for r in RELATIONS},
    "replaced_by": ("replaces", True), "amended_by": ("amends", True), "repealed_by": ("repeals", True),
    "guided_by": ("guides", True),
    # public datasets name what the other document is to this one ('Văn bản bị thay thế': this one replaces it)
    "bị thay thế": ("replaces", False), "thay thế": ("replaces", True),
    "được sửa đổi": ("amends", False), "bị sửa đổi": ("amends", False), "được sửa đổi, bổ sung": ("amends", False),
    "sửa đổi": ("amends", True), "sửa đổi, bổ sung": ("amends", True),
    "bị bãi bỏ": ("repeals", False), "bị hủy bỏ": ("repeals", False), "bị huỷ bỏ": ("repeals", False),
    "bãi bỏ": ("repeals", True), "hủy bỏ": ("repeals", True), "huỷ bỏ": ("repeals", True),
    "được hướng dẫn": ("guides", False), "hướng dẫn": ("guides", True), "được quy định chi tiết": ("guides", False),
    "quy định chi tiết": ("guides", True), "căn cứ": ("basis", False), "được căn cứ": ("basis", True),
}


def _relation(name: str, where: str) -> tuple[str, bool]:
    key = " ".join(str(name).strip().lower().split())
    key = key[len("văn bản "):] if key.startswith("văn bản ") else key
    if key not in RELATION_NAMES:
        raise CatalogError(f"{where}: unknown relation {name!r} (one of {', '.join(RELATIONS)}, or a dataset's "
                           "'Văn bản bị thay thế', 'Văn bản sửa đổi' …)")
    return RELATION_NAMES[key]


def _date(value, where: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    s = str(value).strip()
    if not s or s.lower() in ("none", "null", "nan", "không xác định", "còn hiệu lực"):
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise CatalogError(f"{where}: date {s!r} is neither YYYY-MM-DD nor DD/MM/YYYY")


def read_table(path: Path) -> list[dict]:
    """The rows of a CSV or Parquet file, every value as written (a private in-memory connection reads it)."""
    if not path.is_file():
        raise CatalogError(f"{path}: no such catalog file")
    con = duckdb.connect()
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            rel = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
        else:
            rel = con.execute("SELECT * FROM read_csv(?, all_varchar = true, header = true, comment = '#')", [str(path)])
        cols = [d[0].strip().lower() for d in rel.description]
        return [dict(zip(cols, row)) for row in rel.fetchall()]
    except duckdb.Error as e:
        raise CatalogError(f"{path}: cannot read catalog ({str(e).splitlines()[0]})") from None
    finally:
        con.close()


def _pick(row: dict, names: tuple[str, ...]):
    for n in names:
        if n in row and row[n] not in (None, ""):
            return row[n]
    return None


def import_catalog(con: duckdb.DuckDBPyConnection, paths: Sequence[Path]) -> dict[str, int]:
    """Store the entries and relations of these files (later rows win); the next flag computation uses them."""
    now = dt.datetime.now()
    entries: dict[str, dict] = {}
    relation_files: list[tuple[Path, list[dict]]] = []
    skipped = 0
    for path in paths:
        rows = read_table(path)
        cols = set(rows[0]) if rows else set()
        if {"other_ref", "relation"} <= cols or {"other_doc_id", "relationship"} <= cols:
            relation_files.append((path, rows))
            continue
        if not cols & {"ref", "so_ky_hieu"}:
            raise CatalogError(f"{path}: a catalog needs the column ref (or so_ky_hieu), a relations file "
                               "ref, other_ref, relation (or doc_id, other_doc_id, relationship)")
        for n, row in enumerate(rows, start=2):
            ref = _pick(row, ENTRY_COLUMNS["ref"])
            if ref is None:
                skipped += 1
                continue
            where = f"{path}: row {n}"
            e = {c: _pick(row, names) for c, names in ENTRY_COLUMNS.items()}
            for c in ("issue_date", "effective_date", "expiry_date"):
                e[c] = _date(e[c], where)
            e.update(ref=str(ref).strip(), ref_key=ref_key(str(ref)), source=str(path), imported_at=now)
            e["external_id"] = None if e["external_id"] is None else str(e["external_id"])
            entries[e["ref_key"]] = e
    by_id = dict(con.execute("SELECT external_id, ref FROM catalog_entries WHERE external_id IS NOT NULL").fetchall())
    by_id.update({e["external_id"]: e["ref"] for e in entries.values() if e["external_id"]})
    relations: dict[tuple, dict] = {}
    for path, rows in relation_files:
        for n, row in enumerate(rows, start=2):
            where = f"{path}: row {n}"
            if "other_ref" in row:
                a, b, name = row.get("ref"), row.get("other_ref"), row.get("relation")
            else:
                a, b = by_id.get(str(row.get("doc_id"))), by_id.get(str(row.get("other_doc_id")))
                name = row.get("relationship")
            if not a or not b or not name:
                skipped += 1   # a dataset's id without a số hiệu in the catalog
                continue
            relation, reverse = _relation(name, where)
            if reverse:
                a, b = b, a
            r = {"ref_key": ref_key(a), "ref": a, "other_key": ref_key(b), "other_ref": b, "relation": relation,
                 "source": str(path), "imported_at": now}
            relations[(r["ref_key"], r["other_key"], relation)] = r
    with transaction(con):
        if entries:
            con.execute("DELETE FROM catalog_entries WHERE list_contains(?, ref_key)", [list(entries)])
            insert_rows(con, "catalog_entries", list(next(iter(entries.values()))), list(entries.values()))
        for r in relations.values():
            con.execute("DELETE FROM catalog_relations WHERE ref_key = ? AND other_key = ? AND relation = ?",
                        [r["ref_key"], r["other_key"], r["relation"]])
        insert_rows(con, "catalog_relations", list(next(iter(relations.values()))) if relations else [], list(relations.values()))
        mark_flags_stale(con)
    return {"entries": len(entries), "relations": len(relations), "skipped": skipped}


EXPORT_SQL = """
WITH national AS (   -- documents of the archive that a national citation names, or with no province
    SELECT DISTINCT d.doc_id FROM documents d
    WHERE d.status = 'ok' AND d.ref IS NOT NULL AND d.issue_date IS NOT NULL
      AND (d.province IS NULL OR EXISTS (SELECT 1 FROM citations c WHERE c.cited_doc_id = d.doc_id AND c.cited_province IS NULL))
)
SELECT d.doc_type AS type, d.ref, d.issue_date, d.issuer, d.subject AS title, NULL AS status, NULL AS effective_date,
       NULL AS expiry_date, 'own header: ' || regexp_extract(d.source_path, '[^/]+$') AS basis
FROM documents d JOIN national USING (doc_id)
UNION ALL
SELECT v.doc_type, v.forms[1], v.consensus_date, NULL, v.catalog_title, v.catalog_status, NULL, NULL,
       v.consensus_basis || ' (' || v.citing_documents || ' documents)'
FROM cited_documents v
WHERE v.province IS NULL AND v.doc_id IS NULL AND v.consensus_date IS NOT NULL AND v.key LIKE '%/%'
ORDER BY 2
"""
RELATIONS_SQL = """
SELECT DISTINCT v.by_ref AS ref, v.target_ref AS other_ref,
       CASE v.relation WHEN 'replaced' THEN 'replaces' WHEN 'repealed' THEN 'repeals' ELSE 'amends' END AS relation
FROM document_validity v
WHERE v.province IS NULL AND v.by_ref IS NOT NULL AND v.relation IN ('replaced', 'repealed', 'amended')
ORDER BY 1, 2
"""


def export_catalog(con: duckdb.DuckDBPyConnection, to: Path, relations_to: Path | None = None) -> tuple[int, int]:
    """Write the catalog the archive implies (CSV, or Parquet for a .parquet name), and its relations."""
    n = _write(con, EXPORT_SQL, to)
    m = _write(con, RELATIONS_SQL, relations_to) if relations_to else 0
    return n, m


def _write(con, sql: str, to: Path) -> int:
    frame = con.execute(sql).df()
    try:
        if to.suffix.lower() == ".parquet":
            frame.to_parquet(to, index=False)
        else:
            frame.to_csv(to, index=False)
    except OSError as e:
        raise CatalogError(f"{to}: cannot write ({e.strerror or e})") from None
    return len(frame)

"""The reference tables the rules read: provinces, issuers and the catalog of real dates."""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Sequence

import duckdb

from extractors import vocab

from ..store import insert_rows, transaction
from .keys import ref_key

CATALOG_COLUMNS = ["type", "ref", "issue_date", "issuer", "title"]


class CatalogError(Exception):
    """A catalog file that cannot be used (missing, wrong columns, bad date)."""



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


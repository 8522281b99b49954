"""Decisions on flags that survive a recomputation (issue 15): ``flag_reviews`` is keyed by ``flag_id``,
which stays the same for the same finding, and ``compute_flags`` never touches it."""
from __future__ import annotations

import datetime as dt

import duckdb

from .store import transaction

DECISIONS = ("confirmed", "false_alarm")


class ReviewError(Exception):
    """No such flag, or a flag id that names several."""


def review(con: duckdb.DuckDBPyConnection, flag_id: str, decision: str, note: str | None = None) -> dict:
    """Record (or replace) the decision on one flag; ``flag_id`` may be its first characters."""
    if decision not in DECISIONS:
        raise ReviewError(f"--as must be one of {', '.join(DECISIONS)}, not {decision!r}")
    found = con.execute("SELECT flag_id, kind, doc_id, ref, message FROM flags WHERE starts_with(flag_id, ?)",
                        [flag_id.strip().lower()]).fetchall()
    if not found:
        raise ReviewError(f"{flag_id}: no such flag (list them with: vanban flags)")
    if len(found) > 1:
        raise ReviewError(f"{flag_id}: {len(found)} flags start with it; give more characters")
    fid, kind, doc_id, ref, message = found[0]
    with transaction(con):
        con.execute("DELETE FROM flag_reviews WHERE flag_id = ?", [fid])
        con.execute("INSERT INTO flag_reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [fid, decision, note, dt.datetime.now(), kind, doc_id, ref, message])
    return {"flag_id": fid, "kind": kind, "decision": decision, "message": message}

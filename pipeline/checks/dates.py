"""Rules over the dates written in a text."""
from __future__ import annotations

from typing import Iterable

from .registry import rule
from .common import Scope, _Texts, _file, _rows, flag


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


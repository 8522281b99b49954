"""Rules over the figures: a stated total against its listed parts."""
from __future__ import annotations

import collections
import json
from typing import Iterable

from extractors import vocab

from .registry import rule
from .common import Scope, _Texts, _file, _rows, flag


@rule
def total_mismatch(con, texts: _Texts, scope: Scope) -> Iterable[dict]:
    """A stated total that is not the sum of its listed parts, where the text promises that the parts make
    the total: 'gồm', 'bao gồm', 'cụ thể' between the total and its first part, not 'trong đó' (a subset, which
    need not add up), and neither the total nor a part approximate ('hơn 100 đảo', 'khoảng 20 …')."""
    from extractors.figures.counts import approximate, breakdown_promised
    parts = _rows(con, """
        WITH linked AS (
            SELECT 'staffing' AS t, p.doc_id, p.count AS total, p.char_start, p.char_end, p.surface,
                   c.count AS part, c.id AS k, c.char_start AS part_start
            FROM staffing p JOIN staffing c ON c.doc_id = p.doc_id AND c.parent_id = p.id
            UNION ALL
            SELECT 'counts', p.doc_id, p.value, p.char_start, p.char_end, p.surface, c.value, c.seq, c.char_start
            FROM counts p JOIN counts c ON c.doc_id = p.doc_id AND c.parent_id = p.seq),
        totals AS (
            SELECT t, doc_id, total, char_start, char_end, surface, sum(part) AS parts, list(part ORDER BY k) AS items,
                   min(part_start) AS first_part, list(part_start ORDER BY k) AS part_starts
            FROM linked GROUP BY ALL HAVING sum(part) <> total)
        SELECT x.*, d.source_path,
               substr(d.text, greatest(x.char_start - 11, 1), least(x.char_start, 12)) AS before,
               substr(d.text, x.char_end + 1, x.first_part - x.char_end) AS between,
               [substr(d.text, greatest(s - 11, 1), least(s, 12)) FOR s IN x.part_starts] AS part_befores
        FROM totals x JOIN documents d USING (doc_id)
        UNION ALL
        SELECT 'staffing split', s.doc_id, s.count, s.char_start, s.char_end, s.surface, s.full_time + s.part_time,
               [s.full_time, s.part_time], NULL, NULL, d.source_path, NULL, NULL, NULL
        FROM staffing s JOIN documents d USING (doc_id)
        WHERE s.full_time IS NOT NULL AND s.part_time IS NOT NULL AND s.full_time + s.part_time <> s.count""")
    for r in parts:
        if r.t != "staffing split" and not (breakdown_promised(r.before, r.between)
                                            and not any(approximate(b) for b in r.part_befores)):
            continue
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

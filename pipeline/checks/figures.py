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

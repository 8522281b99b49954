"""The comparison views, and the row-level queries behind them.

Each query is written once, over a relation of documents ``{docs}`` (columns of
``document_provinces``): the views use every document, :mod:`pipeline.report` the documents its
options select (``--year``, ``--since``, ``--until``, ``--province``), so a filtered comparison
and the view never disagree on how a figure is made.

budget (``budget_rows``) — only rows of one kind are added, and within a kind never a row and
its parts:
  * running text: the top-level rows (``parent_id`` null, or a parent of another kind); their
    children are inside them; a ``baseline`` (``tăng 27,8% so cùng kỳ (21.546 tỷ đồng)``, the year
    before's figure) is another year's and not added, nor a ``realised`` amount (``Ước thực hiện …
    27.535 tỷ đồng, đạt 102,70% dự toán`` after the plan's 26.811 tỷ: the plan measured again);
  * a table (one ``table_caption`` of one document): its total rows (``role = 'total'``, top
    level) when it has any, else its leaf cells; ``source`` says which;
  * a document that writes budget amounts in running text gives those, and its tables only when
    it has none (the text restates the tables' totals: 016 Cà Mau writes the 26.811.096 triệu
    đồng of Mẫu biểu 04 again as ``26.811,096 tỷ đồng``).
  Rows without a kind (loaded before migration 0007) are ``unknown``.

staffing (``staffing_latest``) — a head count is a stock: per province, unit and level, the
figure of the latest report (``issue_date``, else ``issue_date_not_before``; undated reports
last) that gives one, never a sum over reports.  Only ``kind = 'count'`` (rows loaded before
0007 have no kind and were all stored as counts); within a report the leaves are added (a total
that lists its parts is left out, as its parts carry the unit and level).
"""
from __future__ import annotations

DOCUMENT_PROVINCES = """
CREATE OR REPLACE VIEW document_provinces AS
SELECT d.doc_id, d.province, coalesce(p.province_2025, d.province) AS province_2025,
       year(coalesce(d.issue_date, d.issue_date_not_before)) AS year,
       coalesce(d.issue_date, d.issue_date_not_before) AS date, d.source_path
FROM documents d LEFT JOIN provinces p ON p.province = d.province
WHERE d.status = 'ok';
"""

BUDGET_ROWS = """
WITH b AS (
    SELECT b.*, coalesce(b.kind, 'unknown') AS k, dp.province, dp.province_2025, dp.year, dp.date
    FROM budget b JOIN {docs} dp USING (doc_id)
),
top AS (
    SELECT b.*,
           b.parent_id IS NULL OR NOT EXISTS (
               SELECT 1 FROM budget p WHERE p.doc_id = b.doc_id AND p.id = b.parent_id
                                        AND coalesce(p.kind, 'unknown') = b.k) AS top_level
    FROM b
),
t AS (
    SELECT *, bool_or(in_table AND role = 'total') OVER (PARTITION BY doc_id, k, table_caption) AS table_has_total
    FROM top
),
counted AS (
    SELECT *, CASE WHEN NOT in_table THEN 'text'
                   WHEN table_has_total THEN 'table totals' ELSE 'table leaves' END AS source
    FROM t
    WHERE CASE WHEN NOT in_table THEN top_level AND coalesce(role, '') NOT IN ('baseline', 'realised')
               WHEN table_has_total THEN role = 'total' AND top_level
               ELSE role IS DISTINCT FROM 'total' END
)
SELECT province, province_2025, year, date, doc_id, seq, coalesce(level, 'không rõ cấp') AS level, k AS kind, source,
       amount_min_vnd, amount_max_vnd, surface
FROM counted
QUALIFY source = 'text' OR NOT bool_or(source = 'text') OVER (PARTITION BY doc_id, k)
"""

STAFFING_LATEST = """
WITH leaves AS (
    SELECT s.*, dp.province, dp.province_2025, dp.year, dp.date, dp.source_path,
           coalesce(s.full_time, CASE s.category WHEN 'chuyên trách' THEN s.count WHEN 'kiêm nhiệm' THEN 0 END) AS ft,
           coalesce(s.part_time, CASE s.category WHEN 'kiêm nhiệm' THEN s.count WHEN 'chuyên trách' THEN 0 END) AS pt
    FROM staffing s JOIN {docs} dp USING (doc_id)
    WHERE coalesce(s.kind, 'count') = 'count'
      AND NOT EXISTS (SELECT 1 FROM staffing c WHERE c.doc_id = s.doc_id AND c.parent_id = s.id
                                                 AND coalesce(c.kind, 'count') = 'count')
),
per_report AS (
    SELECT province, province_2025, year, date, source_path, doc_id,
           lower(trim(coalesce(unit, ''))) AS unit_key, min(unit) AS unit, coalesce(level, 'không rõ cấp') AS level,
           sum(count) AS people,
           sum(ft) FILTER (WHERE ft IS NOT NULL AND pt IS NOT NULL) AS full_time,
           sum(pt) FILTER (WHERE ft IS NOT NULL AND pt IS NOT NULL) AS part_time,
           coalesce(sum(count) FILTER (WHERE ft IS NOT NULL AND pt IS NOT NULL), 0) AS people_with_split
    FROM leaves GROUP BY ALL
)
SELECT province, province_2025, year, date AS as_of, doc_id, unit, level, people, full_time, part_time, people_with_split
FROM per_report
QUALIFY row_number() OVER (PARTITION BY province, unit_key, level
                           ORDER BY date DESC NULLS LAST, source_path DESC) = 1
"""

FLAG_ROWS = """
SELECT dp.province, dp.province_2025, dp.year, dp.doc_id, f.kind
FROM {docs} dp LEFT JOIN flags f USING (doc_id)
"""

# each national document a province cites; one document is one citations.ref_key (a law cited by name: its name)
CITATION_NETWORK = """
CREATE OR REPLACE VIEW citation_network AS
WITH m AS (
    SELECT c.doc_id, c.seq, c.char_start, c.char_end, c.doc_type, c.issuer, coalesce(c.ref, c.name) AS written,
           coalesce(c.ref_key, lower(c.name)) AS document_key
    FROM citations c
    WHERE (c.ref IS NOT NULL AND c.issuer IN (SELECT issuer FROM issuers WHERE NOT local))
       OR (c.ref IS NULL AND c.name IS NOT NULL)
),
flagged AS (SELECT DISTINCT m.doc_id, m.seq FROM m JOIN flags f
            ON f.doc_id = m.doc_id AND f.char_start = m.char_start AND f.char_end = m.char_end)
SELECT dp.province, dp.province_2025, m.document_key, mode(m.written) AS document, mode(m.doc_type) AS doc_type,
       mode(m.issuer) AS issuer, count(*) AS mentions, count(DISTINCT m.doc_id) AS documents,
       count(flagged.seq) AS flagged_mentions
FROM m JOIN document_provinces dp USING (doc_id) LEFT JOIN flagged USING (doc_id, seq)
GROUP BY ALL;
"""

VIEWS_SQL = DOCUMENT_PROVINCES + f"""
CREATE OR REPLACE VIEW province_summary AS
WITH c AS (SELECT doc_id, count(*) AS n FROM citations GROUP BY 1),
     f AS (SELECT doc_id, count(*) AS n FROM flags GROUP BY 1)
SELECT dp.province, dp.province_2025, dp.year, count(*) AS documents,
       coalesce(sum(c.n), 0) AS citations, coalesce(sum(f.n), 0) AS flags,
       round(100.0 * coalesce(sum(f.n), 0) / count(*), 1) AS flags_per_100_documents
FROM document_provinces dp LEFT JOIN c USING (doc_id) LEFT JOIN f USING (doc_id)
GROUP BY ALL;

CREATE OR REPLACE VIEW province_staffing AS
{STAFFING_LATEST.format(docs="document_provinces")};

CREATE OR REPLACE VIEW province_budget AS
SELECT province, province_2025, year, level, kind, source, count(DISTINCT doc_id) AS documents, count(*) AS amounts,
       sum(amount_min_vnd) AS min_vnd, sum(amount_max_vnd) AS max_vnd
FROM ({BUDGET_ROWS.format(docs="document_provinces")})
GROUP BY ALL;
"""

"""The schema of the citation graph (issue 15): links from citations to the documents of the archive,
what each mention does, the validity of cited documents, the catalog a user imports, decisions on
flags.  Each constant is the whole SQL of one named migration (see ``MIGRATIONS``).

Computed by :mod:`pipeline.graph` at every flag computation (never by the extractors):
``citations.cited_key`` (the số hiệu key), ``cited_province`` (the province a local số hiệu belongs
to; null for a national one), ``cited_doc_id``, ``link_note`` (why a number in the archive was not
linked), ``relation`` (basis, implements, amends, replaces, repeals, guides, reference) and the
``document_validity`` table.  Kept across runs: ``catalog_entries``, ``catalog_relations``,
``flag_reviews``.
"""
from __future__ import annotations

CITED_DOCUMENTS = """
CREATE OR REPLACE VIEW cited_documents AS
WITH m AS (
    SELECT c.cited_key AS key, c.cited_province AS province, c.ref, c.doc_type, c.cited_date, c.cited_doc_id,
           c.doc_id, d.province AS citing_province
    FROM citations c JOIN documents d USING (doc_id)
    WHERE c.cited_key IS NOT NULL
),
g AS (
    SELECT key, province, list(DISTINCT ref ORDER BY ref) AS forms, mode(doc_type) AS doc_type, count(*) AS mentions,
           count(DISTINCT doc_id) AS citing_documents, count(DISTINCT citing_province) AS citing_provinces,
           min(cited_doc_id) AS doc_id
    FROM m GROUP BY key, province
),
written AS (
    SELECT key, province, arg_max(cited_date, n) AS most_written, list(strftime(cited_date, '%d/%m/%Y') || ' (' || n || ')'
           ORDER BY n DESC, cited_date) AS dates_written
    FROM (SELECT key, province, cited_date, count(*) AS n FROM m WHERE cited_date IS NOT NULL GROUP BY ALL)
    GROUP BY key, province
),
v AS (
    SELECT target_key, province,
           arg_min(relation, CASE relation WHEN 'replaced' THEN 0 WHEN 'repealed' THEN 1 WHEN 'expired' THEN 2 ELSE 3 END) AS validity,
           arg_min(by_ref, CASE relation WHEN 'replaced' THEN 0 WHEN 'repealed' THEN 1 WHEN 'expired' THEN 2 ELSE 3 END) AS changed_by,
           min(since) FILTER (WHERE relation IN ('replaced', 'repealed', 'expired')) AS not_in_force_since
    FROM document_validity GROUP BY target_key, province
)
SELECT g.key, g.province, g.forms, g.doc_type, g.mentions, g.citing_documents, g.citing_provinces,
       g.doc_id, d.issue_date AS own_date, k.issue_date AS catalog_date, k.title AS catalog_title, k.status AS catalog_status,
       w.dates_written,
       coalesce(d.issue_date, k.issue_date, w.most_written) AS consensus_date,
       CASE WHEN d.issue_date IS NOT NULL THEN 'the document''s own header'
            WHEN k.issue_date IS NOT NULL THEN 'the reference catalog'
            WHEN w.most_written IS NOT NULL THEN 'most mentions' END AS consensus_basis,
       coalesce(v.validity, CASE WHEN k.status IS NOT NULL THEN k.status END) AS validity, v.changed_by, v.not_in_force_since
FROM g
LEFT JOIN documents d ON d.doc_id = g.doc_id
LEFT JOIN catalog k ON g.province IS NULL AND k.ref_key = g.key
LEFT JOIN written w ON w.key = g.key AND w.province IS NOT DISTINCT FROM g.province
LEFT JOIN v ON v.target_key = g.key AND v.province IS NOT DISTINCT FROM g.province;
"""

GRAPH = """
ALTER TABLE citations ADD COLUMN cited_key VARCHAR;
ALTER TABLE citations ADD COLUMN cited_province VARCHAR;
ALTER TABLE citations ADD COLUMN cited_doc_id VARCHAR;
ALTER TABLE citations ADD COLUMN link_note VARCHAR;
ALTER TABLE citations ADD COLUMN relation VARCHAR;
ALTER TABLE catalog ADD COLUMN status VARCHAR;
ALTER TABLE catalog ADD COLUMN effective_date DATE;
ALTER TABLE catalog ADD COLUMN expiry_date DATE;
CREATE TABLE IF NOT EXISTS document_validity (
    target_key VARCHAR NOT NULL,      -- the số hiệu key of the document replaced, repealed or amended
    province VARCHAR,                 -- its province when the số hiệu is local
    target_ref VARCHAR, target_doc_id VARCHAR,
    relation VARCHAR NOT NULL,        -- replaced | repealed | amended | expired
    by_ref VARCHAR, by_key VARCHAR, by_doc_id VARCHAR, by_date DATE,
    since DATE,                       -- from when (the replacing document's date, or the date the text gives)
    source VARCHAR NOT NULL,          -- archive | catalog
    doc_id VARCHAR, char_start INTEGER, char_end INTEGER, sentence VARCHAR   -- where the archive says so
);
CREATE TABLE IF NOT EXISTS catalog_entries (
    ref_key VARCHAR PRIMARY KEY, ref VARCHAR NOT NULL, type VARCHAR, issue_date DATE, issuer VARCHAR, title VARCHAR,
    status VARCHAR, effective_date DATE, expiry_date DATE, external_id VARCHAR, source VARCHAR, imported_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS catalog_relations (
    ref_key VARCHAR NOT NULL, ref VARCHAR, other_key VARCHAR NOT NULL, other_ref VARCHAR,
    relation VARCHAR NOT NULL,        -- ref <relation> other_ref: replaces | amends | repeals | guides
    source VARCHAR, imported_at TIMESTAMP,
    PRIMARY KEY (ref_key, other_key, relation)
);
""" + CITED_DOCUMENTS

FLAG_REVIEWS = """
CREATE TABLE IF NOT EXISTS flag_reviews (
    flag_id VARCHAR PRIMARY KEY, decision VARCHAR NOT NULL, note VARCHAR, reviewed_at TIMESTAMP NOT NULL,
    kind VARCHAR, doc_id VARCHAR, ref VARCHAR, message VARCHAR     -- what the flag said when it was reviewed
);
"""

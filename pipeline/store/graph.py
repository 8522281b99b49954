"""The schema of the citation graph (issue 15): links from citations to the documents of the archive,
what each mention does, the validity of cited documents, the catalog a user imports, decisions on
flags.  The tables and columns are declared in :mod:`pipeline.store.tables` (``CITATIONS.computed``,
``DOCUMENT_VALIDITY``, ``CATALOG_ENTRIES``, ``CATALOG_RELATIONS``, ``FLAG_REVIEWS``); each constant here is
the SQL of one named migration (see ``MIGRATIONS``), made from them.

Computed by :mod:`pipeline.graph` at every flag computation (never by the extractors), keyed by
``citations.ref_key``: ``cited_province`` (the province a local số hiệu belongs
to; null for a national one), ``cited_doc_id``, ``link_note`` (why a number in the archive was not
linked) and the ``document_validity`` table; ``relation`` (basis, implements, amends, replaces, repeals,
guides, reference), added here to older databases, is read by the extractors.  Kept across runs: ``catalog_entries``, ``catalog_relations``,
``flag_reviews``.
"""
from __future__ import annotations

from .tables import CATALOG, CATALOG_ENTRIES, CATALOG_RELATIONS, CITATIONS, DOCUMENT_VALIDITY, FLAG_REVIEWS as REVIEWS

CITED_DOCUMENTS = """
CREATE OR REPLACE VIEW cited_documents AS
WITH m AS (
    SELECT c.ref_key AS key, c.cited_province AS province, c.ref, c.doc_type, c.cited_date, c.cited_doc_id,
           c.doc_id, d.province AS citing_province
    FROM citations c JOIN documents d USING (doc_id)
    WHERE c.ref_key IS NOT NULL
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

GRAPH = "\n".join([
    CITATIONS.add_columns("cited_province", "cited_doc_id", "link_note", "relation"),
    CATALOG.add_columns("status", "effective_date", "expiry_date"),
    DOCUMENT_VALIDITY.ddl(), CATALOG_ENTRIES.ddl(), CATALOG_RELATIONS.ddl(), CITED_DOCUMENTS])

FLAG_REVIEWS = REVIEWS.ddl()

# a database made before: citations.cited_key was a copy of ref_key (the view reads ref_key)
DROP_CITED_KEY = "ALTER TABLE citations DROP COLUMN IF EXISTS cited_key;\n" + CITED_DOCUMENTS

-- severity: warning
-- Every Kế hoạch names the document it implements: a citation after 'thực hiện', 'triển khai',
-- 'cụ thể hóa' … (citations.relation = 'implements'), or one it is a plan for ('Căn cứ' alone is not enough).
SELECT d.doc_id, d.ref,
       'Kế hoạch ' || coalesce(d.ref, regexp_extract(d.source_path, '[^/]+$')) || ' names no document it implements' AS message
FROM documents d
WHERE d.status = 'ok' AND d.official AND d.doc_type = 'Kế hoạch'
  AND NOT EXISTS (SELECT 1 FROM citations c WHERE c.doc_id = d.doc_id AND c.relation = 'implements')

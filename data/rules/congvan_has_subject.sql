-- severity: info
-- Every Công văn has a subject line under its số hiệu ('V/v …', documents.subject).
SELECT d.doc_id, d.ref,
       'Công văn ' || coalesce(d.ref, regexp_extract(d.source_path, '[^/]+$')) || ' has no subject line (V/v …)' AS message
FROM documents d
WHERE d.status = 'ok' AND d.official AND d.doc_type = 'Công văn' AND coalesce(trim(d.subject), '') = ''

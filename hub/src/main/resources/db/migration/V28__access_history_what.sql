-- What an access showed of the patient's data, as the access history names it: a stable code (identity, documents,
-- document, profile, appointments, conversations) and, for one document, its id. A document's title is never kept
-- here: it is health data, and the history finds it when the patient reads it (a deleted document has none).
ALTER TABLE access_history ADD COLUMN what text, ADD COLUMN document_id uuid;
UPDATE access_history SET what = CASE action
    WHEN 'record.open' THEN 'identity'
    WHEN 'record.list' THEN 'documents'
    WHEN 'document.read' THEN 'document'
    WHEN 'profile.read' THEN 'profile'
    WHEN 'profile.history' THEN 'profile'
    WHEN 'profile.write' THEN 'profile'
    ELSE action END;
ALTER TABLE access_history ALTER COLUMN what SET NOT NULL;

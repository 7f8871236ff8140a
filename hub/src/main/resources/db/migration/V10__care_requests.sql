-- Writing is not reading: a deposit or a booking no longer makes a care relationship. The relationships such
-- writes made were never the patient's decision, so they end here; the patient declares or accepts again.
DELETE FROM care_relationship WHERE origin IN ('deposit', 'appointment');
ALTER TABLE care_relationship DROP CONSTRAINT care_relationship_origin_check;
ALTER TABLE care_relationship ADD CONSTRAINT care_relationship_origin_check CHECK (origin IN ('declared', 'accepted'));

-- A professional asks to be in a patient's care team; only the patient's acceptance makes the relationship.
CREATE TABLE care_request (
    id               uuid        PRIMARY KEY,
    patient_id       uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    professional_id  uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    status           text        NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn')),
    created_at       timestamptz NOT NULL,
    decided_at       timestamptz
);
CREATE UNIQUE INDEX care_request_one_pending ON care_request (patient_id, professional_id) WHERE status = 'pending';
CREATE INDEX care_request_professional ON care_request (professional_id, created_at DESC);
CREATE INDEX care_request_patient ON care_request (patient_id, created_at DESC);

-- A professional reads a patient's conversations only within a care relationship: outside it (never in care, the
-- relationship ended, or blocked) they are cut off every conversation with that patient, old ones included, and
-- neither read it nor receive its events. Messaging keeps the mark itself, set as identity records each decision.
ALTER TABLE conversation_participant ADD COLUMN cut_off boolean NOT NULL DEFAULT false;
UPDATE conversation_participant p SET cut_off = true
FROM conversation_participant patient
WHERE patient.conversation_id = p.conversation_id AND patient.role = 'patient' AND p.role = 'professional'
  AND NOT EXISTS (SELECT 1 FROM care_relationship c WHERE c.patient_id = patient.account_id AND c.professional_id = p.account_id);

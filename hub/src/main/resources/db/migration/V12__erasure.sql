-- Health data never in clear, and every row of a person goes with their account.

-- Command results kept for idempotency were plain jsonb (for conversation.messages: decrypted bodies). They are
-- now sealed (AES-256-GCM, key id per row) and belong to their caller: an account or an integrator, deleted with
-- it. The rows in clear are dropped rather than kept: they only answered retries within a day, and the features
-- whose writes must not happen twice also keep the key in their own unique constraint.
DELETE FROM idempotency_key;
ALTER TABLE idempotency_key
    DROP COLUMN result,
    DROP COLUMN principal_id,
    ADD COLUMN account_id uuid REFERENCES account (id) ON DELETE CASCADE,
    ADD COLUMN integrator_id uuid REFERENCES integrator (id) ON DELETE CASCADE,
    ADD COLUMN result_sealed bytea NOT NULL,
    ADD COLUMN key_id text NOT NULL,
    ADD CONSTRAINT idempotency_key_one_owner CHECK ((account_id IS NULL) <> (integrator_id IS NULL));
ALTER TABLE idempotency_key ADD COLUMN principal_id uuid GENERATED ALWAYS AS (coalesce(account_id, integrator_id)) STORED;
ALTER TABLE idempotency_key ADD PRIMARY KEY (principal_id, key);
CREATE INDEX idempotency_key_account ON idempotency_key (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX idempotency_key_integrator ON idempotency_key (integrator_id) WHERE integrator_id IS NOT NULL;

-- The break-glass reason is free text, clinical in practice: sealed in emergency_access (a row written before
-- this version keeps its clear reason until the hub's start seals it, since SQL has no key), and the access
-- history points at the emergency access instead of copying the reason.
ALTER TABLE emergency_access
    ALTER COLUMN reason DROP NOT NULL,
    ADD COLUMN reason_sealed bytea,
    ADD COLUMN key_id text,
    ADD CONSTRAINT emergency_access_reason_once CHECK ((reason IS NULL) <> (reason_sealed IS NULL));

ALTER TABLE access_history ADD COLUMN emergency_access_id uuid REFERENCES emergency_access (id) ON DELETE SET NULL;
UPDATE access_history h SET emergency_access_id = (
    SELECT e.id FROM emergency_access e
    WHERE e.patient_id = h.patient_id AND e.professional_id = h.actor_id AND e.reason = h.reason AND e.granted_at <= h.at
    ORDER BY e.granted_at DESC LIMIT 1)
WHERE h.reason IS NOT NULL;
ALTER TABLE access_history DROP COLUMN reason;
CREATE INDEX access_history_emergency_access ON access_history (emergency_access_id) WHERE emergency_access_id IS NOT NULL;

-- The patient reads the reason from their history; the event that tells them carried it in clear.
UPDATE stream_event SET data = data - 'reason' WHERE type = 'record.emergency_access';

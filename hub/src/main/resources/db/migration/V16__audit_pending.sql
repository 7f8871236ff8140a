-- Appending to a chain took the chain head's row lock until the writer committed: every audited write about one
-- patient (or by one actor) waited for the previous one's commit. Writers now insert a sealed pending event and lock
-- nothing; one chainer at a time in the cluster moves pending events into the chains (audit_log, audit_head).
-- mac: HMAC-SHA256, under a key derived from the master key, of the event's canonical content and its id.
CREATE TABLE audit_pending (
    id          uuid        PRIMARY KEY,
    position    bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,   -- the order the chainer takes them in
    at          timestamptz NOT NULL,
    actor_kind  text        NOT NULL,
    actor_id    text,
    action      text        NOT NULL,
    outcome     text        NOT NULL,
    patient_id  uuid,
    ip          text,
    details     jsonb       NOT NULL,
    mac         bytea       NOT NULL
);

-- Pending events the chainer found altered or forged (their MAC did not match): kept out of the chains, kept here for
-- the operator; relais audit verify reports each of them.
CREATE TABLE audit_quarantine (
    id              uuid        PRIMARY KEY,
    position        bigint      NOT NULL,
    at              timestamptz NOT NULL,
    actor_kind      text        NOT NULL,
    actor_id        text,
    action          text        NOT NULL,
    outcome         text        NOT NULL,
    patient_id      uuid,
    ip              text,
    details         jsonb       NOT NULL,
    mac             bytea       NOT NULL,
    quarantined_at  timestamptz NOT NULL DEFAULT now()
);

-- Only the chainer deletes pending events, and it says so in its transaction (SET LOCAL relais.audit_chainer = 'on').
-- This guards against mistakes, not against someone with the rights to set the same setting or to disable triggers.
CREATE FUNCTION audit_pending_leaves_only_by_the_chainer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('relais.audit_chainer', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% is append-only (only the audit chainer removes events from it)', TG_TABLE_NAME;
END $$;
CREATE TRIGGER audit_pending_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_pending
    FOR EACH STATEMENT EXECUTE FUNCTION audit_pending_leaves_only_by_the_chainer();

CREATE TRIGGER audit_quarantine_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_quarantine
    FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only();

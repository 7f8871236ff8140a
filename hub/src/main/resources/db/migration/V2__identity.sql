-- People and software clients, their credentials and sessions.

CREATE TABLE account (
    id             uuid        PRIMARY KEY,
    kind           text        NOT NULL CHECK (kind IN ('patient', 'professional', 'admin')),
    email          text        NOT NULL,
    display_name   text        NOT NULL,
    password_hash  text,                                    -- NULL until the account is activated
    status         text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    activated_at   timestamptz
);
CREATE UNIQUE INDEX account_email ON account (lower(email));

CREATE TABLE patient (
    account_id         uuid PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    ins                text NOT NULL UNIQUE,               -- 13-character NIR + 2-digit key
    phone              text,
    representative_id  uuid REFERENCES account (id) ON DELETE SET NULL,  -- legal representative (guardian)
    emergency_access_objection boolean NOT NULL DEFAULT false
);
CREATE INDEX patient_representative ON patient (representative_id) WHERE representative_id IS NOT NULL;

CREATE TABLE professional (
    account_id    uuid PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    rpps          text NOT NULL UNIQUE,
    profession    text NOT NULL,
    organisation  text
);

-- Patients who opposed the creation of their space, or closed it: they are not provisioned again.
-- Only a keyed hash of the INS is kept, never the INS itself.
CREATE TABLE space_opposition (
    ins_hash    bytea       PRIMARY KEY,
    opposed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE integrator (
    id           uuid        PRIMARY KEY,
    client_id    text        NOT NULL UNIQUE,
    secret_hash  text        NOT NULL,
    name         text        NOT NULL,
    scopes       text[]      NOT NULL,
    disabled     boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE activation (
    token_hash  bytea       PRIMARY KEY,
    account_id  uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

CREATE TABLE login_challenge (
    id           uuid        PRIMARY KEY,
    account_id   uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    code_hash    bytea       NOT NULL,
    expires_at   timestamptz NOT NULL,
    failures     integer     NOT NULL DEFAULT 0,
    consumed_at  timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_challenge_expiry ON login_challenge (expires_at);

-- A session is one login (or one client_credentials grant); access tokens carry its id as "sid".
-- Revoking the session rejects its access tokens at once and ends its refresh-token family.
CREATE TABLE session (
    id              uuid        PRIMARY KEY,
    account_id      uuid        REFERENCES account (id) ON DELETE CASCADE,
    integrator_id   uuid        REFERENCES integrator (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    revoked_reason  text,
    CHECK ((account_id IS NULL) <> (integrator_id IS NULL))
);
CREATE INDEX session_account ON session (account_id) WHERE account_id IS NOT NULL;

CREATE TABLE refresh_token (
    token_hash   bytea       PRIMARY KEY,
    session_id   uuid        NOT NULL REFERENCES session (id) ON DELETE CASCADE,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);
CREATE INDEX refresh_token_session ON refresh_token (session_id);

-- Token signing keys; the private key is sealed with the node's master key.
CREATE TABLE signing_key (
    kid           text        PRIMARY KEY,
    algorithm     text        NOT NULL,
    public_jwk    jsonb       NOT NULL,
    sealed_private bytea      NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    retired_at    timestamptz
);

-- Fixed-window counters shared by all nodes.
CREATE TABLE rate_limit (
    key           text        NOT NULL,
    window_start  timestamptz NOT NULL,
    hits          integer     NOT NULL,
    PRIMARY KEY (key, window_start)
);

-- Care relationships: a professional may see a patient's data only within one.
CREATE TABLE care_relationship (
    patient_id       uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    professional_id  uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    origin           text        NOT NULL CHECK (origin IN ('declared', 'appointment', 'deposit')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (patient_id, professional_id)
);
CREATE INDEX care_relationship_professional ON care_relationship (professional_id);

CREATE TABLE professional_block (
    patient_id       uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    professional_id  uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (patient_id, professional_id)
);

-- Break-glass: a professional's emergency access to a patient outside any care relationship, with a reason.
CREATE TABLE emergency_access (
    id               uuid        PRIMARY KEY,
    patient_id       uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    professional_id  uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    reason           text        NOT NULL,
    granted_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL
);
CREATE INDEX emergency_access_lookup ON emergency_access (patient_id, professional_id, expires_at DESC);

-- Every access to a patient's data by someone other than the patient, readable by the patient.
CREATE TABLE access_history (
    id             bigserial   PRIMARY KEY,
    patient_id     uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    actor_kind     text        NOT NULL,
    actor_id       uuid        NOT NULL,
    actor_name     text        NOT NULL,
    action         text        NOT NULL,
    emergency      boolean     NOT NULL DEFAULT false,
    reason         text,
    first_access   boolean     NOT NULL DEFAULT false,
    at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX access_history_patient ON access_history (patient_id, id DESC);

-- Who has already accessed a patient's record: the first access is notified to the patient.
CREATE TABLE first_access (
    patient_id  uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    actor_id    uuid        NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (patient_id, actor_id)
);

-- Append-only, hash-chained audit log of security events and of every non-patient action on patient data.
CREATE TABLE audit_log (
    seq          bigint      PRIMARY KEY,
    at           timestamptz NOT NULL,
    actor_kind   text        NOT NULL,
    actor_id     text,
    action       text        NOT NULL,
    outcome      text        NOT NULL,
    patient_id   uuid,
    ip           text,
    details      jsonb       NOT NULL DEFAULT '{}',
    prev_hash    bytea       NOT NULL,
    hash         bytea       NOT NULL
);
CREATE INDEX audit_log_patient ON audit_log (patient_id, seq) WHERE patient_id IS NOT NULL;

-- The chain's head, locked by each append so that rows chain in order.
CREATE TABLE audit_head (
    id        boolean PRIMARY KEY DEFAULT true CHECK (id),
    seq       bigint  NOT NULL,
    hash      bytea   NOT NULL
);
INSERT INTO audit_head (seq, hash) VALUES (0, '\x0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- Web Push (RFC 8030) to the installed portal.

-- The cluster's one VAPID key pair (RFC 8292): made by the first node that starts, read by the others. The private
-- key is sealed with AES-256-GCM under a key derived from the master key ("push-vapid"); the public one is the
-- applicationServerKey browsers subscribe with.
CREATE TABLE push_vapid_key (
    id              smallint    PRIMARY KEY CHECK (id = 1),
    public_key      bytea       NOT NULL,  -- the uncompressed P-256 point, 65 bytes
    sealed_private  bytea       NOT NULL,  -- PKCS #8, sealed
    key_id          text        NOT NULL,
    created_at      timestamptz NOT NULL
);

-- A person's devices: one browser's push subscription each. The endpoint (a capability URL) and the keys are
-- sealed ("push-subscriptions", bound to the row's id); a keyed hash of the endpoint keeps one row per endpoint and
-- account. The label is a few words ("Chrome sur Android"), never the whole User-Agent.
CREATE TABLE push_subscription (
    id              uuid        PRIMARY KEY,
    account_id      uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    endpoint_hash   bytea       NOT NULL,
    endpoint_sealed bytea       NOT NULL,
    p256dh_sealed   bytea       NOT NULL,
    auth_sealed     bytea       NOT NULL,
    key_id          text        NOT NULL,
    label           text        NOT NULL CHECK (length(label) BETWEEN 1 AND 60),
    created_at      timestamptz NOT NULL,
    last_used_at    timestamptz,
    UNIQUE (account_id, endpoint_hash)
);

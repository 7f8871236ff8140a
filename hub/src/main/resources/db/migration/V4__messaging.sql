-- Secure messaging. Subjects, bodies, attachment names and contents are stored encrypted (AES-256-GCM);
-- key_id names the key that sealed each value, so keys can rotate.
CREATE TABLE conversation (
    id                uuid        PRIMARY KEY,
    subject_sealed    bytea       NOT NULL,
    key_id            text        NOT NULL,
    created_by        uuid        NOT NULL,
    with_patient      boolean     NOT NULL,
    state             text        NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    closed_by         uuid,
    closed_at         timestamptz,
    message_count     bigint      NOT NULL DEFAULT 0,   -- also the last message's seq
    created_at        timestamptz NOT NULL DEFAULT now(),
    last_activity_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_last_activity ON conversation (last_activity_at);

CREATE TABLE conversation_participant (
    conversation_id  uuid        NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
    account_id       uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    role             text        NOT NULL CHECK (role IN ('patient', 'professional')),
    last_read_seq    bigint      NOT NULL DEFAULT 0,
    joined_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (conversation_id, account_id)
);
CREATE INDEX conversation_participant_account ON conversation_participant (account_id);

CREATE TABLE message (
    id               uuid        PRIMARY KEY,
    conversation_id  uuid        NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
    seq              bigint      NOT NULL,
    sender_id        uuid        NOT NULL,
    body_sealed      bytea       NOT NULL,
    key_id           text        NOT NULL,
    idempotency_key  text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (conversation_id, seq)
);
CREATE UNIQUE INDEX message_idempotency ON message (sender_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE attachment (
    id                uuid        PRIMARY KEY,
    message_id        uuid        NOT NULL REFERENCES message (id) ON DELETE CASCADE,
    conversation_id   uuid        NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
    filename_sealed   bytea       NOT NULL,
    content_type      text        NOT NULL,
    size              integer     NOT NULL,
    sha256            bytea       NOT NULL,
    content_sealed    bytea       NOT NULL,
    key_id            text        NOT NULL
);
CREATE INDEX attachment_message ON attachment (message_id);

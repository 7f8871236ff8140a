-- The email outbox: every email is a row first, written in the transaction that causes it, then sent by the
-- dispatcher. Subjects and bodies are sealed (login codes must not sit in clear). dedup_key makes each
-- notification one row, whatever the retries and nodes.
CREATE TABLE email_outbox (
    id              uuid        PRIMARY KEY,
    dedup_key       text        NOT NULL UNIQUE,
    recipient_id    uuid        REFERENCES account (id) ON DELETE CASCADE,
    to_address      text        NOT NULL,
    category        text        NOT NULL,
    priority        smallint    NOT NULL,          -- 0: security (at once, ignores quiet hours); 1: notifications
    content_sealed  bytea       NOT NULL,          -- {subject, text, html}
    key_id          text        NOT NULL,
    up_to_offset    bigint,                        -- digests: the stream offset they cover (re-checked before sending)
    status          text        NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'dead', 'skipped')),
    attempts        integer     NOT NULL DEFAULT 0,
    not_before      timestamptz NOT NULL DEFAULT now(),
    lease_until     timestamptz,
    claimed_by      text,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz
);
CREATE INDEX email_outbox_ready ON email_outbox (priority, not_before) WHERE status IN ('pending', 'sending');

-- What each person wants by email, per category: live (no email), email (soon after the delay), digest (grouped).
CREATE TABLE notification_preference (
    account_id  uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    category    text NOT NULL CHECK (category IN ('messages', 'documents', 'reminders', 'record_accesses')),
    mode        text NOT NULL CHECK (mode IN ('live', 'email', 'digest')),
    PRIMARY KEY (account_id, category)
);

CREATE TABLE notification_setting (
    account_id   uuid PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    locale       text NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'en')),
    quiet_start  time,
    quiet_end    time
);

-- How far each person's stream was covered by a digest email.
CREATE TABLE notify_cursor (
    account_id   uuid        PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    covered      bigint      NOT NULL DEFAULT 0,
    last_sent_at timestamptz
);

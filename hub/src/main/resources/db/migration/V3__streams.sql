-- One stream per recipient: a gap-free, commit-ordered sequence of events.
-- head is the offset of the newest event; appending takes this row's lock until commit, so offsets are
-- handed out in commit order and a rolled-back append leaves no gap.
CREATE TABLE stream (
    recipient_id    uuid        PRIMARY KEY,
    epoch           text        NOT NULL,          -- changes when the history is reset
    head            bigint      NOT NULL,
    first_retained  bigint      NOT NULL DEFAULT 1,  -- older offsets were trimmed
    acked           bigint      NOT NULL DEFAULT 0,  -- highest offset any of the recipient's clients acknowledged
    acked_at        timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE stream_event (
    recipient_id  uuid        NOT NULL REFERENCES stream (recipient_id) ON DELETE CASCADE,
    "offset"      bigint      NOT NULL,
    type          text        NOT NULL,
    data          jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (recipient_id, "offset")
);
CREATE INDEX stream_event_created ON stream_event (created_at);

-- Results of commands sent with an idempotency key: a retry gets the first answer back.
CREATE TABLE idempotency_key (
    principal_id  uuid        NOT NULL,
    key           text        NOT NULL,
    operation     text        NOT NULL,
    result        jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal_id, key)
);
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);

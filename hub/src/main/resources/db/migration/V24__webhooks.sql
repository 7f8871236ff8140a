-- Webhooks (issue 19): a system's own stream, POSTed to its HTTPS endpoint, in order, signed, with retries.
CREATE TABLE webhook (
    integrator_id          uuid        PRIMARY KEY REFERENCES integrator (id) ON DELETE CASCADE,
    url                    text        NOT NULL,
    secret_sealed          bytea       NOT NULL,
    previous_secret_sealed bytea,                        -- still signs until previous_until (a rotation's overlap)
    previous_until         timestamptz,
    key_id                 text        NOT NULL,
    epoch                  text        NOT NULL,         -- the stream history the cursor belongs to
    delivered              bigint      NOT NULL,         -- the last offset delivered or dead-lettered
    trimmed                bigint      NOT NULL DEFAULT 0, -- events the stream dropped before they could be sent
    attempts               integer     NOT NULL DEFAULT 0, -- failed attempts at the next event
    next_attempt_at        timestamptz NOT NULL,
    last_error             text,
    leased_until           timestamptz,
    lease                  uuid,
    created_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_due ON webhook (next_attempt_at);

-- Events given up on after webhooks.maxAttempts: ids and types only (the event stays in the stream, for replay).
CREATE TABLE webhook_dead_letter (
    id             uuid        PRIMARY KEY,
    integrator_id  uuid        NOT NULL REFERENCES integrator (id) ON DELETE CASCADE,
    epoch          text        NOT NULL,
    "offset"       bigint      NOT NULL,
    type           text        NOT NULL,
    attempts       integer     NOT NULL,
    last_error     text,
    failed_at      timestamptz NOT NULL,
    UNIQUE (integrator_id, epoch, "offset")
);

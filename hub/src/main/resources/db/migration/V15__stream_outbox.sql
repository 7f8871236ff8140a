-- Events are no longer numbered in the writer's transaction: the writer adds them here, with its business rows,
-- and takes no stream lock. The sequencer (one transaction at a time in the whole cluster, under an advisory
-- lock) moves the committed rows into stream_event, numbering each recipient's events in id order, then publishes
-- them. A transaction that began after another committed draws larger ids, so causal order is kept.
CREATE TABLE stream_outbox (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient_id  uuid        NOT NULL,
    type          text        NOT NULL,
    data          jsonb       NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX stream_outbox_recipient ON stream_outbox (recipient_id);

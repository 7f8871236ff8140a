-- Whether each category may go by push to the person's devices (on unless they turn it off).
ALTER TABLE notification_preference ADD COLUMN push boolean NOT NULL DEFAULT true;
ALTER TABLE notification_preference ALTER COLUMN mode DROP NOT NULL;  -- a row may say only whether to push

-- Each decision of the notify component for one person and one window of missed events: which channel carried
-- what, as counts per category only (never an event's content), so that an admin can answer "why did this person
-- get (or not get) an email". Kept for notify.decisionRetention.
CREATE TABLE notify_decision (
    id              bigserial   PRIMARY KEY,
    account_id      uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    decided_at      timestamptz NOT NULL,
    from_offset     bigint      NOT NULL,      -- the window: the person's stream after from_offset …
    up_to_offset    bigint      NOT NULL,      -- … up to this one
    devices         integer     NOT NULL,      -- push subscriptions the person had
    pushed          jsonb       NOT NULL,      -- {category: count} sent by push (one item per device)
    push_not_before timestamptz,               -- later than decided_at: held by quiet hours
    push_email_fallback boolean NOT NULL,      -- what was pushed is emailed if no push of the window reached a device
    emailed         jsonb       NOT NULL,      -- {category: count} in the digest email
    email_not_before timestamptz,              -- the email waits for notify.delay after the oldest event, and quiet hours
    live_only       jsonb       NOT NULL,      -- {category: count} the person wants live only
    held            text                       -- why nothing was decided for email yet (digest window), or NULL
);
CREATE INDEX notify_decision_account ON notify_decision (account_id, decided_at DESC);

-- The email outbox becomes the outbox of every channel: email, SMS, push. Existing rows are emails.
ALTER TABLE email_outbox RENAME TO outbox;
ALTER TABLE outbox RENAME COLUMN to_address TO address;   -- an email address, an E.164 number, a push subscription id
ALTER TABLE outbox ADD COLUMN channel text NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'sms', 'push'));
ALTER TABLE outbox ALTER COLUMN channel DROP DEFAULT;
ALTER TABLE outbox ADD COLUMN expires_at timestamptz;    -- a code: never sent after it
-- a fallback (an email for what was pushed): not sent if an item of this channel to the same person, covering at
-- least the same stream offset, was sent
ALTER TABLE outbox ADD COLUMN unless_sent text CHECK (unless_sent IN ('email', 'sms', 'push'));
ALTER INDEX email_outbox_pkey RENAME TO outbox_pkey;
ALTER INDEX email_outbox_dedup_key_key RENAME TO outbox_dedup_key_key;
DROP INDEX email_outbox_ready;
CREATE INDEX outbox_ready ON outbox (channel, priority, not_before) WHERE status IN ('pending', 'sending');

-- Per-address limits of a channel (SMS per number): items sent to one address in one clock hour, on every node.
-- Counted per category, so that codes anyone may ask for (verifying a number) cannot spend the login codes' place.
CREATE TABLE outbox_rate (
    channel      text        NOT NULL,
    address      text        NOT NULL,
    category     text        NOT NULL,
    window_start timestamptz NOT NULL,
    sent         integer     NOT NULL,
    PRIMARY KEY (channel, address, category, window_start)
);

-- A person's mobile number (E.164), once verified by a code sent to it, and whether login codes go there.
-- The row outlives a removed number (number NULL) so that removing and adding again does not reset the code counts.
CREATE TABLE account_phone (
    account_id        uuid        PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    number            text,
    verified_at       timestamptz,
    login_by_sms      boolean     NOT NULL DEFAULT false,
    code_hash         bytea,                     -- HMAC of the verification code under the master key
    code_expires_at   timestamptz,
    code_failures     integer     NOT NULL DEFAULT 0,
    codes_sent        integer     NOT NULL DEFAULT 0,
    codes_window      timestamptz,               -- the clock hour codes_sent counts
    CHECK (login_by_sms = false OR verified_at IS NOT NULL)
);

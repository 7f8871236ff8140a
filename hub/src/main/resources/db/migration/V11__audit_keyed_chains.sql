-- Audit rows were hashed with plain SHA-256 over public fields: anyone able to write to the database could rewrite
-- a row and recompute every later hash, or drop the newest rows and move the head back. From here on rows are hashed
-- with HMAC-SHA256 under a key derived from the master key (never in the database), and people are referred to by
-- keyed pseudonyms. alg says how a row was hashed: 1 = SHA-256 (rows written before this migration), 2 = HMAC-SHA256.
ALTER TABLE audit_log ADD COLUMN alg smallint NOT NULL DEFAULT 1 CHECK (alg IN (1, 2));
ALTER TABLE audit_log ALTER COLUMN alg DROP DEFAULT;

-- The first row of each chain that must be keyed: every row written before this migration may be unkeyed, none after.
-- Signed checkpoints repeat it, so that moving it forward to pass forged unkeyed rows off as old ones is found too.
ALTER TABLE audit_head ADD COLUMN keyed_from bigint;
UPDATE audit_head SET keyed_from = seq + 1;
ALTER TABLE audit_head ALTER COLUMN keyed_from SET NOT NULL;

-- Signed checkpoints of every chain's head (seq, hash, keyed_from), taken every audit.checkpointEvery. Each node also
-- appends them to a file under its data directory: a log cut back behind its latest checkpoint is found even if the
-- checkpoints in this table are cut too.
CREATE TABLE audit_checkpoint (
    id         uuid        PRIMARY KEY,
    taken_at   timestamptz NOT NULL,
    heads      jsonb       NOT NULL,
    signature  bytea       NOT NULL
);
CREATE INDEX audit_checkpoint_taken_at ON audit_checkpoint (taken_at);

CREATE FUNCTION audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only();

-- One hash chain serialised every audited write of the whole hub behind one row lock. The log now has 32
-- chains, chosen by the patient (or the actor) the event concerns: events of different patients append in
-- parallel, and each chain still links every row to the one before it.
ALTER TABLE audit_log ADD COLUMN chain smallint NOT NULL DEFAULT 0;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey;
ALTER TABLE audit_log ADD PRIMARY KEY (chain, seq);

ALTER TABLE audit_head ADD COLUMN chain smallint NOT NULL DEFAULT 0;
ALTER TABLE audit_head DROP CONSTRAINT audit_head_pkey;
ALTER TABLE audit_head DROP CONSTRAINT audit_head_id_check;
ALTER TABLE audit_head DROP COLUMN id;
ALTER TABLE audit_head ADD PRIMARY KEY (chain);
INSERT INTO audit_head (chain, seq, hash)
SELECT c, 0, '\x0000000000000000000000000000000000000000000000000000000000000000'
FROM generate_series(1, 31) AS c;

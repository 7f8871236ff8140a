-- How far a consumer of the streams (the digest emails) has covered each recipient's events is kept by the streams
-- themselves: notify no longer reads stream tables, it asks Streams for the backlog and moves its own cursor.
CREATE TABLE stream_consumer (
    consumer      text   NOT NULL,
    recipient_id  uuid   NOT NULL REFERENCES stream (recipient_id) ON DELETE CASCADE,
    covered       bigint NOT NULL,
    PRIMARY KEY (consumer, recipient_id)
);
INSERT INTO stream_consumer (consumer, recipient_id, covered)
SELECT 'digest', c.account_id, c.covered FROM notify_cursor c
WHERE c.covered > 0 AND EXISTS (SELECT 1 FROM stream s WHERE s.recipient_id = c.account_id);
ALTER TABLE notify_cursor DROP COLUMN covered;

-- Each participant's unread count is kept with them rather than counted from the messages on every send: a
-- message adds one to the others' count and sets the sender's to zero (they have read up to it), marking read
-- counts again for that participant only. The total of a person is the sum over their conversations with unread
-- messages, found through a partial index.
ALTER TABLE conversation_participant ADD COLUMN unread integer NOT NULL DEFAULT 0;
UPDATE conversation_participant p
SET unread = (SELECT count(*) FROM message m
              WHERE m.conversation_id = p.conversation_id AND m.seq > p.last_read_seq AND m.sender_id <> p.account_id);
CREATE INDEX conversation_participant_unread ON conversation_participant (account_id) WHERE unread > 0;

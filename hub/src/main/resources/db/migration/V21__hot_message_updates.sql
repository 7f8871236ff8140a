-- Every message updates its conversation (count, last activity) and each participant's read mark and unread count.
-- Those updates are HOT (no new entry in any of the tables' indexes, less WAL per message) when no index covers a
-- column whose value they change, and each page keeps free room. So the indexes are on columns derived from them
-- that change rarely: the day of the last activity (for the retention of silent conversations) and whether a
-- participant has anything unread (for a person's unread total), stored generated columns whose value, not their
-- source's, decides whether an update is HOT.
ALTER TABLE conversation
    ADD COLUMN last_activity_day date GENERATED ALWAYS AS ((last_activity_at AT TIME ZONE 'UTC')::date) STORED;
DROP INDEX conversation_last_activity;
CREATE INDEX conversation_last_activity_day ON conversation (last_activity_day);

ALTER TABLE conversation_participant ADD COLUMN has_unread boolean GENERATED ALWAYS AS (unread > 0) STORED;
DROP INDEX conversation_participant_unread;
CREATE INDEX conversation_participant_has_unread ON conversation_participant (account_id) WHERE has_unread;

ALTER TABLE conversation SET (fillfactor = 80);
ALTER TABLE conversation_participant SET (fillfactor = 80);

-- A conversation deleted by the retention deletes its attachments (ON DELETE CASCADE): found by index, not by
-- reading every attachment.
CREATE INDEX attachment_conversation ON attachment (conversation_id);

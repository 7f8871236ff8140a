-- Every message updates its conversation (count, last activity) and each participant's read mark and unread count.
-- With no index on those columns, and free room left in each page, these updates are HOT: no new entry in any of
-- the tables' indexes and less WAL per message. The daily retention of silent conversations reads the table once
-- instead of an index that every message had to update; unread totals read a person's participations through
-- conversation_participant_account.
DROP INDEX conversation_last_activity;
DROP INDEX conversation_participant_unread;
ALTER TABLE conversation SET (fillfactor = 80);
ALTER TABLE conversation_participant SET (fillfactor = 80);

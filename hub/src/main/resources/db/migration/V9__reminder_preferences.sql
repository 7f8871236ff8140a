-- A person's own reminder offsets before appointments (NULL: agenda.reminderOffsets).
CREATE TABLE reminder_preference (
    account_id  uuid     PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    offsets     text[]   NOT NULL
);

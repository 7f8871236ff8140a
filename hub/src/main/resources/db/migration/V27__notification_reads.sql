-- What a person has read of their stream, for the notification centre: everything up to stream_read.up_to, and
-- the events above it read one by one. Kept apart from the stream's row, which the sequencer updates: marking as
-- read never waits for numbering. A read mark goes with its event (trimmed, or erased with the stream).
CREATE TABLE stream_read (
    recipient_id  uuid    PRIMARY KEY REFERENCES stream (recipient_id) ON DELETE CASCADE,
    up_to         bigint  NOT NULL
);

CREATE TABLE stream_event_read (
    recipient_id  uuid    NOT NULL,
    "offset"      bigint  NOT NULL,
    PRIMARY KEY (recipient_id, "offset"),
    FOREIGN KEY (recipient_id, "offset") REFERENCES stream_event (recipient_id, "offset") ON DELETE CASCADE
);
